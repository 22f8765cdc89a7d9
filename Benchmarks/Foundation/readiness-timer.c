// readiness-timer: spawn a service, poll its /readiness over HTTP/1.1 until the first 200, and
// report how long that took; optionally wait idle and read the process's resident memory.
//
// Why C: the poller must not be the thing being measured. posix_spawn costs ~1 ms from here, and
// a failed poll (connection refused) costs a few microseconds, so the figures are the service's.
//
//   readiness-timer [--port 8080] [--path /readiness] [--interval-us 200] [--timeout-ms 20000]
//                   [--idle-ms 0] [--live-path /liveness] [--log FILE] -- /path/to/service [args...]
//     prints one line:  listen_ms=… first_answer_ms=… ready_ms=… polls=… [rss_kib=… ...] exit=…
//     --live-path: first poll that path until 200 (live_ms: the server answers), then --path
//     (so ready_ms − live_ms is what the readiness check itself costs, e.g. its first DB connection)
//   readiness-timer --poll-cost N [--port P] [--path /readiness]
//     times N polls against a server that is already up (the poller's own cost per poll)
//   readiness-timer --spawn-cost N
//     times N spawn → exit of /bin/true (the spawn's own cost)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

enum { POLL_REFUSED = -1, POLL_NO_ANSWER = -2 };

// One GET on a fresh connection. Returns the HTTP status, POLL_REFUSED when nothing listens,
// POLL_NO_ANSWER when the connection was accepted but no status line came back in time.
static int poll_once(int port, const char *path, int answer_timeout_ms, int *accepted) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return POLL_REFUSED;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return POLL_REFUSED;
    }
    *accepted = 1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char request[256];
    int length = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    if (write(fd, request, (size_t)length) != length) {
        close(fd);
        return POLL_NO_ANSWER;
    }
    char response[64];
    size_t have = 0;
    double deadline = now_ms() + answer_timeout_ms;
    while (have < 12) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int wait = (int)(deadline - now_ms());
        if (wait <= 0 || poll(&pfd, 1, wait) <= 0) break;
        ssize_t got = read(fd, response + have, sizeof response - 1 - have);
        if (got <= 0) break;
        have += (size_t)got;
    }
    close(fd);
    response[have] = 0;
    int status;
    if (have >= 12 && sscanf(response, "HTTP/1.%*d %d", &status) == 1) return status;
    return POLL_NO_ANSWER;
}

// "VmRSS:   12345 kB" → 12345, or -1.
static long status_kib(pid_t pid, const char *file, const char *field) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long value = -1;
    size_t field_length = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, field_length) == 0 && line[field_length] == ':') {
            value = strtol(line + field_length + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

// Busy CPU seconds of the whole machine (all cores) from /proc/stat, or -1.
static double machine_busy_s(void) {
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return -1;
    unsigned long long v[8] = {0};
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 8) return -1;
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / sysconf(_SC_CLK_TCK);
}

// User + system CPU seconds of a process so far, or -1.
static double process_cpu_s(pid_t pid) {
    char path[64], buffer[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t got = fread(buffer, 1, sizeof buffer - 1, f);
    fclose(f);
    buffer[got] = 0;
    char *after = strrchr(buffer, ')');
    if (!after) return -1;
    unsigned long utime, stime;
    // Fields after "(comm)": state(3) ... utime(14) stime(15).
    if (sscanf(after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return -1;
    return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

static void usage(void) {
    fputs("usage: readiness-timer [--port P] [--path /readiness] [--interval-us N] [--timeout-ms N] [--idle-ms N] [--log FILE] -- command...\n"
          "       readiness-timer --poll-cost N [--port P] [--path P]\n"
          "       readiness-timer --spawn-cost N\n",
          stderr);
    exit(64);
}

int main(int argc, char **argv) {
    int port = 8080, interval_us = 200, timeout_ms = 20000, idle_ms = 0, poll_cost = 0, spawn_cost = 0;
    const char *path = "/readiness", *log = "/dev/null", *live_path = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        if (i + 1 >= argc) usage();
        if (!strcmp(argv[i], "--port")) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--path")) path = argv[++i];
        else if (!strcmp(argv[i], "--interval-us")) interval_us = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--timeout-ms")) timeout_ms = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--idle-ms")) idle_ms = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--log")) log = argv[++i];
        else if (!strcmp(argv[i], "--live-path")) live_path = argv[++i];
        else if (!strcmp(argv[i], "--poll-cost")) poll_cost = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--spawn-cost")) spawn_cost = atoi(argv[++i]);
        else usage();
    }

    if (poll_cost > 0) {
        int accepted = 0, ok = 0;
        double start = now_ms(), best = 1e9;
        for (int n = 0; n < poll_cost; n++) {
            double t = now_ms();
            if (poll_once(port, path, 3000, &accepted) == 200) ok++;
            double took = now_ms() - t;
            if (took < best) best = took;
        }
        printf("poll_cost_ms mean=%.3f min=%.3f ok=%d/%d\n", (now_ms() - start) / poll_cost, best, ok, poll_cost);
        return ok == poll_cost ? 0 : 1;
    }
    if (spawn_cost > 0) {
        char *true_argv[] = {"/bin/true", NULL};
        double start = now_ms(), best = 1e9;
        for (int n = 0; n < spawn_cost; n++) {
            double t = now_ms();
            pid_t pid;
            if (posix_spawn(&pid, true_argv[0], NULL, NULL, true_argv, environ) != 0) return 1;
            waitpid(pid, NULL, 0);
            double took = now_ms() - t;
            if (took < best) best = took;
        }
        printf("spawn_cost_ms mean=%.3f min=%.3f (posix_spawn + exit of /bin/true)\n", (now_ms() - start) / spawn_cost, best);
        return 0;
    }
    if (i >= argc) usage();

    // A refused poll is cheap; still, the "(connection refused)" polls must not starve the
    // service of one of the two cores, hence the short sleep between them.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid;
    double busy_before = machine_busy_s();
    double spawned = now_ms();
    int rc = posix_spawn(&pid, argv[i], &actions, NULL, &argv[i], environ);
    if (rc != 0) {
        fprintf(stderr, "readiness-timer: cannot spawn %s: %s\n", argv[i], strerror(rc));
        return 1;
    }
    double listen_ms = -1, first_answer_ms = -1, ready_ms = -1, live_ms = -1;
    int polls = 0, last_status = 0, child_exited = 0, child_status = 0;
    struct timespec pause = {.tv_sec = 0, .tv_nsec = (long)interval_us * 1000};
    while (now_ms() - spawned < timeout_ms) {
        int accepted = 0;
        int live_phase = live_path && live_ms < 0;
        int status = poll_once(port, live_phase ? live_path : path, 3000, &accepted);
        polls++;
        double t = now_ms() - spawned;
        if (accepted && listen_ms < 0) listen_ms = t;
        if (status > 0) {
            last_status = status;
            if (first_answer_ms < 0) first_answer_ms = t;
            if (live_phase) {
                if (status == 200) live_ms = t;
                continue;
            }
            if (status == 200) {
                ready_ms = t;
                break;
            }
        }
        if (waitpid(pid, &child_status, WNOHANG) == pid) {
            child_exited = 1;
            break;
        }
        if (status == POLL_REFUSED && interval_us > 0) nanosleep(&pause, NULL);
    }
    // CPU the service used until ready, and how busy the rest of the machine was meanwhile
    // (other processes, the poller and PostgreSQL; 10 ms tick resolution).
    double service_cpu = child_exited ? -1 : process_cpu_s(pid);
    double busy = machine_busy_s() - busy_before, wall_s = (now_ms() - spawned) / 1e3;
    printf("listen_ms=%.2f first_answer_ms=%.2f", listen_ms, first_answer_ms);
    if (live_path) printf(" live_ms=%.2f", live_ms);
    printf(" ready_ms=%.2f polls=%d last_status=%d service_cpu_ms=%.0f other_cores=%.2f",
           ready_ms, polls, last_status, service_cpu * 1e3,
           service_cpu >= 0 && busy >= 0 ? (busy - service_cpu) / wall_s : -1.0);
    if (child_exited) {
        printf(" exited_early=%d\n", WIFEXITED(child_status) ? WEXITSTATUS(child_status) : 128 + WTERMSIG(child_status));
        return 1;
    }
    if (ready_ms >= 0 && idle_ms > 0) {
        usleep((useconds_t)idle_ms * 1000);
        printf(" rss_kib=%ld rss_anon_kib=%ld rss_file_kib=%ld hwm_kib=%ld pss_kib=%ld threads=%ld",
               status_kib(pid, "status", "VmRSS"), status_kib(pid, "status", "RssAnon"), status_kib(pid, "status", "RssFile"),
               status_kib(pid, "status", "VmHWM"), status_kib(pid, "smaps_rollup", "Pss"), status_kib(pid, "status", "Threads"));
    }
    kill(pid, SIGTERM);
    double term = now_ms();
    int exit_code = -1;
    while (now_ms() - term < 10000) {
        if (waitpid(pid, &child_status, WNOHANG) == pid) {
            exit_code = WIFEXITED(child_status) ? WEXITSTATUS(child_status) : 128 + WTERMSIG(child_status);
            break;
        }
        usleep(1000);
    }
    if (exit_code < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &child_status, 0);
    }
    printf(" exit=%d stop_ms=%.1f\n", exit_code, now_ms() - term);
    return ready_ms >= 0 ? 0 : 1;
}
