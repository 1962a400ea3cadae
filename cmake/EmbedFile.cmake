# cmake -DINPUT=file -DOUTPUT=file.cc -DSYMBOL=name -P EmbedFile.cmake
# Writes a C++ source defining `winnow::embedded::SYMBOL()` returning the file's bytes, so data
# files (tokenizer rules) ship inside the binary. Runs at build time when INPUT changes.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
# One line per 64 bytes keeps the compiler and editors happy.
string(REGEX REPLACE "(('[^']*',){64})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}" "// Generated from ${INPUT} by cmake/EmbedFile.cmake. Do not edit.
#include <string_view>
namespace winnow::embedded {
static const char kData[] = {
${bytes}
};
std::string_view ${SYMBOL}() { return std::string_view(kData, ${size}); }
}  // namespace winnow::embedded
")
