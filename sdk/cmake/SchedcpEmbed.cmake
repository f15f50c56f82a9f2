# Script mode: writes OUT, a C++ file holding IN's bytes as SYMBOL (see schedcp_embed_file).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Break the initializer into lines of 16 bytes to keep compilers and editors happy.
string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n"
    "extern \"C\" __attribute__((visibility(\"hidden\"))) const unsigned char ${SYMBOL}[] = {\n${bytes}0x00};\n"
    "extern \"C\" __attribute__((visibility(\"hidden\"))) const unsigned long ${SYMBOL}_size = ${size};\n")
