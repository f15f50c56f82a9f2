// run_blocking(): run a blocking function off the host's event loop and await its result.
//
//     auto text = co_await sdk::run_blocking(ctx.blocking_executor(), [&] { return slurp(p); });
//
// The function runs on the host's worker pool; the awaiting coroutine resumes on its own
// executor with the result, or with the exception the function threw.
//
// Call, then await. GCC 12 destroys a temporary with a non-trivial destructor twice when
// it lives in a co_await full-expression, and a by-value argument of the awaited call
// (a lambda, a string, a struct) is such a temporary. So make the awaitable in a
// statement of its own, then co_await the named object:
//     auto op = sdk::run_blocking(pool, [ops, args] { return ops->run(args); });
//     auto result = co_await std::move(op);
// The same holds for any coroutine taking arguments by value.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace schedcp::sdk {

// Deliberately not a coroutine itself: it hands the callable (owned by a shared_ptr) to
// co_spawn and returns co_spawn's awaitable, so no closure becomes a coroutine parameter
// (GCC 12 mishandles closures passed by value into coroutines).
template <class F, class R = std::invoke_result_t<F&>>
boost::asio::awaitable<R> run_blocking(boost::asio::any_io_executor pool, F fn) {
    auto job = std::make_shared<F>(std::move(fn));
    if constexpr (std::is_void_v<R>) {
        return boost::asio::co_spawn(
            pool,
            [job]() -> boost::asio::awaitable<void> {
                (*job)();
                co_return;
            },
            boost::asio::use_awaitable);
    } else {
        return boost::asio::co_spawn(
            pool, [job]() -> boost::asio::awaitable<R> { co_return (*job)(); },
            boost::asio::use_awaitable);
    }
}

}  // namespace schedcp::sdk
