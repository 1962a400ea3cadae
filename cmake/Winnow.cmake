# Project-wide compile settings and the helper that declares one module library.
include_guard(GLOBAL)

add_library(winnow_warnings INTERFACE)
target_compile_options(winnow_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wno-missing-field-initializers)
if(WINNOW_WERROR)
  target_compile_options(winnow_warnings INTERFACE -Werror)
endif()
if(WINNOW_BUILD_FUZZ)
  # Every library instrumented for coverage; the fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(WINNOW_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
if(WINNOW_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# winnow_module(NAME SOURCES... DEPS ...): one static library per layer, headers beside
# sources, includes rooted at src/ ("winnow/core/status.h").
function(winnow_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(winnow_${name} STATIC ${ARG_SOURCES})
  target_include_directories(winnow_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(winnow_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS}
                        winnow_warnings)
endfunction()

# winnow_embed(OUT_VAR SYMBOL FILE): generates a source defining
# `std::string_view winnow::embedded::SYMBOL()` with the bytes of FILE; appends it to OUT_VAR.
function(winnow_embed out_var symbol file)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cc)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${file} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    COMMENT "Embedding ${file}")
  set(${out_var} ${${out_var}} ${output} PARENT_SCOPE)
endfunction()
