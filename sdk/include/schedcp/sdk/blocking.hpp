// run_blocking(): run a blocking function off the host's event loop and await its result.
//
//     auto text = co_await sdk::run_blocking(ctx.blocking_executor(), [&] { return slurp(p); });
//
// The function runs on the host's worker pool; the awaiting coroutine resumes on its own
// executor with the result, or with the exception the function threw.
#pragma once

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace schedcp::sdk {

template <class F, class R = std::invoke_result_t<F&>>
boost::asio::awaitable<R> run_blocking(boost::asio::any_io_executor pool, F fn) {
    if constexpr (std::is_void_v<R>) {
        co_await boost::asio::co_spawn(
            pool,
            [fn = std::move(fn)]() mutable -> boost::asio::awaitable<void> {
                fn();
                co_return;
            },
            boost::asio::use_awaitable);
    } else {
        co_return co_await boost::asio::co_spawn(
            pool, [fn = std::move(fn)]() mutable -> boost::asio::awaitable<R> { co_return fn(); },
            boost::asio::use_awaitable);
    }
}

}  // namespace schedcp::sdk
