// A shared library that is not a schedcp plugin: it exports no factory and no ABI symbol.
extern "C" __attribute__((visibility("default"))) int not_a_plugin() {
    return 42;
}
