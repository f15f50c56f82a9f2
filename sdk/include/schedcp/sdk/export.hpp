// Symbol visibility for the SDK.
//
// Plugins are built with -fvisibility=hidden and loaded RTLD_LOCAL, so every type that
// crosses the host/plugin boundary by identity (thrown as an exception, holding a vtable,
// queried by RTTI) must be exported with default visibility from the SDK library, where
// its key function (an out-of-line virtual destructor) lives. Then host and plugins share
// one typeinfo and a `catch (const sdk::Error&)` in the host sees errors thrown by plugins.
#pragma once

#define SCHEDCP_SDK_API __attribute__((visibility("default")))
