#define BOOST_TEST_MODULE schedcp_bench_support
#include <boost/test/unit_test.hpp>
