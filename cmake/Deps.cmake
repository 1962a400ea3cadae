# Every external dependency of winnow, found in one place. All come from Debian 12 -dev packages
# installed by scripts/setup; see ../shared/design/DEPS.md for the verified list and gotchas.
include_guard(GLOBAL)

# A. Packages that ship a CMake config.
find_package(simdjson  CONFIG REQUIRED)  # simdjson::simdjson (3.0.1)
find_package(zstd      CONFIG REQUIRED)  # zstd::libzstd_shared (1.5.4); no plain zstd::libzstd
find_package(TBB       CONFIG REQUIRED)  # TBB::tbb (oneTBB 2021.8)
find_package(CLI11     CONFIG REQUIRED)  # CLI11::CLI11 (2.1.2, header-only: include in one TU)
find_package(yaml-cpp  CONFIG REQUIRED)  # yaml-cpp (0.7 exports no namespace)
find_package(fmt       CONFIG REQUIRED)  # fmt::fmt (9.1.0)
find_package(Threads   REQUIRED)
find_package(hwy       CONFIG REQUIRED)  # hwy::hwy (1.0.3: runtime dispatch, SCALAR..AVX3)

# MPI (OpenMPI 4.1): on when found unless -DWINNOW_WITH_MPI=OFF. The C API from C++: the skip
# keeps OpenMPI's deprecated C++ bindings out (they would need libmpi_cxx at link time).
if(NOT DEFINED WINNOW_WITH_MPI OR WINNOW_WITH_MPI)
  set(MPI_CXX_SKIP_MPICXX ON)
  find_package(MPI MODULE COMPONENTS CXX)  # MPI::MPI_CXX
  if(MPI_CXX_FOUND)
    set(WINNOW_WITH_MPI ON CACHE BOOL "Build MPI support (mpirun/srun ranks)")
  elseif(WINNOW_WITH_MPI)
    message(FATAL_ERROR "WINNOW_WITH_MPI=ON but no MPI found (apt-get install libopenmpi-dev)")
  else()
    set(WINNOW_WITH_MPI OFF CACHE BOOL "Build MPI support (mpirun/srun ranks)")
    message(STATUS "MPI not found: winnow runs as one process only")
  endif()
endif()

# B. No config, but CMake ships a Find module.
find_package(LibXml2 MODULE REQUIRED)               # LibXml2::LibXml2 (2.9.14): HTML parser
find_package(ICU MODULE REQUIRED COMPONENTS uc i18n)  # ICU::uc ICU::i18n (72.1): Unicode, charsets

if(WINNOW_BUILD_TESTS)
  find_package(GTest     CONFIG REQUIRED)  # GTest::gtest GTest::gtest_main GTest::gmock
endif()
if(WINNOW_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)  # benchmark::benchmark benchmark::benchmark_main
endif()

# C. Only a pkg-config file (no versions: several .pc files lie about them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(ISAL   REQUIRED IMPORTED_TARGET libisal)    # PkgConfig::ISAL (gzip, fast)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)  # PkgConfig::XXHASH
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)   # PkgConfig::PCRE2 (JIT)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)  # PkgConfig::UTF8PROC
pkg_check_modules(FASTTEXT REQUIRED IMPORTED_TARGET fasttext)  # PkgConfig::FASTTEXT (0.9.2)
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)           # PkgConfig::HS (vectorscan 5.4)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)         # PkgConfig::LZ4 (1.9.4): .warc.lz4, Parquet
pkg_check_modules(BROTLIDEC REQUIRED IMPORTED_TARGET libbrotlidec)  # Parquet BROTLI pages
pkg_check_modules(BROTLIENC REQUIRED IMPORTED_TARGET libbrotlienc)
pkg_check_modules(SENTENCEPIECE REQUIRED IMPORTED_TARGET sentencepiece)  # PkgConfig::SENTENCEPIECE (0.1.97): winnow tokenize with .model files
find_package(Snappy CONFIG REQUIRED)  # Snappy::snappy (1.1.9): Parquet SNAPPY pages
find_package(ZLIB MODULE REQUIRED)    # ZLIB::ZLIB: Parquet GZIP pages, page CRCs

# D. CLD2: no config, no pkg-config. We link the standard tables (83 languages, the ones with
# real web volume) and not libcld2_full (160+): measured here, the full tables call ordinary
# Russian paragraphs "unknown" (2 of 6 test sentences, a 3-sentence paragraph at 70%), because
# an unnamed extended language wins Cyrillic chunks; the standard tables get all of them.
# Users who need rare languages give the language stage a fastText model (lid.176, GlotLID).
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIBRARY NAMES cld2 REQUIRED)
add_library(winnow::cld2 INTERFACE IMPORTED)
set_target_properties(winnow::cld2 PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${CLD2_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${CLD2_LIBRARY}")
