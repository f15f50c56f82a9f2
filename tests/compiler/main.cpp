#define BOOST_TEST_MODULE schedcp_compiler
#include <boost/test/unit_test.hpp>
