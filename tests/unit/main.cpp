#define BOOST_TEST_MODULE schedcp_unit
#include <boost/log/core.hpp>
#include <boost/test/unit_test.hpp>

// The host logs to a file in production; unit tests have no file sink, and Boost.Log's
// default would print every record to the console.
struct QuietLogging {
    QuietLogging() { boost::log::core::get()->set_logging_enabled(false); }
};
BOOST_TEST_GLOBAL_FIXTURE(QuietLogging);
