#ifndef APEXFLOW_COPENBLAS_SHIM_H
#define APEXFLOW_COPENBLAS_SHIM_H

// OpenBLAS's CBLAS interface (Debian/Ubuntu: apt-get install libopenblas-dev).
// `pkg-config --cflags openblas` adds the multiarch include directory, where Debian keeps
// cblas.h (/usr/include/<triple>/openblas-pthread/); the fallbacks below cover builds that do
// not pass pkg-config's flags. openblas_set_num_threads/openblas_get_num_threads come with it.
#if __has_include(<cblas.h>)
#include <cblas.h>
#elif __has_include(<x86_64-linux-gnu/openblas-pthread/cblas.h>)
#include <x86_64-linux-gnu/openblas-pthread/cblas.h>
#elif __has_include(<aarch64-linux-gnu/openblas-pthread/cblas.h>)
#include <aarch64-linux-gnu/openblas-pthread/cblas.h>
#elif __has_include(<openblas/cblas.h>)
#include <openblas/cblas.h>
#else
#error "cblas.h not found: install libopenblas-dev (apt-get install -y libopenblas-dev)"
#endif

#endif
