#define BOOST_TEST_MODULE schedcp_integration
#include <boost/test/unit_test.hpp>
