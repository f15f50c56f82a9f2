#include "create_tool.hpp"

#include "create_schema.hpp"
#include "schedcp/sdk/json.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

bj::object text_field(const char* description) {
    return bj::object{{"type", "string"}, {"maxLength", 4096}, {"description", description}};
}

std::string names_of(const bj::value& callbacks) {
    std::string s;
    if (callbacks.is_array())
        for (const auto& c : callbacks.get_array())
            s += (s.empty() ? "" : ", ") + std::string(c.at("callback").as_string());
    return s.empty() ? "none" : s;
}

}  // namespace

bj::object create_input_schema() {
    return bj::object{
        {"type", "object"},
        {"properties",
         bj::object{
             {"name", bj::object{{"type", "string"},
                                 {"description",
                                  "the scheduler's name in the catalog: 1 to 48 characters, a "
                                  "lowercase letter then lowercase letters, digits and '_' "
                                  "(not a built-in's name)"}}},
             {"source_code",
              bj::object{
                  {"type", "string"},
                  {"maxLength", 1048576},
                  {"description",
                   "BPF C source of a sched_ext scheduler written the scx way (at most 1 "
                   "MiB): #include <scx/common.bpf.h>, callbacks with BPF_STRUCT_OPS, the "
                   "table with SCX_OPS_DEFINE(..., .name = \"...\"), char _license[] "
                   "SEC(\"license\") = \"GPL\", UEI_DEFINE/UEI_RECORD for the exit reason. "
                   "Both kfunc generations work: scx_bpf_dsq_insert/_vtime and "
                   "scx_bpf_dsq_move_to_local, or scx_bpf_dispatch/_vtime and scx_bpf_consume"}}},
             {"description", text_field("what the scheduler does")},
             {"algorithm", text_field("e.g. vruntime, EDF, FIFO, custom")},
             {"use_cases", bj::object{{"type", "array"},
                                      {"items", bj::object{{"type", "string"}, {"maxLength", 200}}},
                                      {"maxItems", 32},
                                      {"description", "workloads it is for"}}},
             {"characteristics", text_field("its properties")},
             {"limitations", text_field("what it does not do well")},
             {"performance_profile", text_field("expected performance")}}},
        {"required", bj::array{"name", "source_code"}},
        {"additionalProperties", false}};
}

bj::object info_from(const bj::object& args) {
    bj::object info;
    for (const char* k : {"description", "algorithm", "use_cases", "characteristics", "limitations",
                          "performance_profile"})
        if (auto* v = args.if_contains(k); v && !v->is_null()) info[k] = *v;
    return info;
}

std::string render_result(const bj::object& r) {
    std::string name(r.at("name").as_string());
    std::string out = "Custom scheduler '" + name + "' (ops '" +
                      std::string(r.at("ops_name").as_string()) +
                      "') compiled, checked and registered.\n";
    out += "Callbacks: " + names_of(r.at("callbacks")) + "\n";
    const auto& v = r.at("verification").as_object();
    if (r.at("verified").as_bool()) {
        out += "Kernel verification: passed";
        if (auto* res = v.if_contains("result"); res && res->is_object()) {
            const auto& o = res->get_object();
            if (auto* s = o.if_contains("seconds"))
                out += ": enabled for " + sdk::json::compact(*s) + " s, then detached";
            if (auto* k = o.if_contains("exit_kind"); k && k->is_string())
                out +=
                    " (exit " + std::string(k->get_string()) +
                    (o.contains("reason") ? ": " + std::string(o.at("reason").as_string()) : "") +
                    ")";
        }
        out += "\n";
    } else {
        out += "Kernel verification: NOT done. " + std::string(r.at("reason").as_string()) + "\n";
    }
    const auto& checks = r.at("static_checks").as_object();
    const auto& warnings = checks.at("warnings").as_array();
    const auto& compiler_warnings = r.at("compiler").at("warnings").as_array();
    if (!warnings.empty() || !compiler_warnings.empty()) {
        out += "Warnings:\n";
        for (const auto& w : compiler_warnings) {
            const auto& d = w.as_object();
            out += "  - " + std::string(d.at("file").as_string()) + ":" +
                   sdk::json::compact(d.at("line")) + ":" + sdk::json::compact(d.at("column")) +
                   ": " + std::string(d.at("message").as_string()) + "\n";
        }
        for (const auto& w : warnings) out += "  - " + std::string(w.as_string()) + "\n";
    }
    out += "Object: " + std::string(r.at("object").as_string()) + "\n";
    out += "Run it with run_scheduler {\"name\": \"" + name + "\"} (CLI: schedcp-cli run " + name +
           ")\n";
    return out;
}

sdk::ToolSpec create_tool(std::shared_ptr<CompilerCore> core) {
    sdk::ToolSpec t;
    t.name = "create_and_verify_scheduler";
    t.title = "Create and verify a custom scheduler";
    t.description =
        "Compile a custom sched_ext scheduler from BPF C source, check it, load it into the "
        "kernel to verify it (where the kernel has sched_ext and schedcp may load BPF), and "
        "register it so list_schedulers shows it and run_scheduler runs it (also after a "
        "restart). Write it the way scx's examples are written: #include <scx/common.bpf.h>, "
        "callbacks such as select_cpu, enqueue, dispatch, running, stopping, enable, init, exit "
        "defined with BPF_STRUCT_OPS (init with BPF_STRUCT_OPS_SLEEPABLE when it creates DSQs), "
        "SCX_OPS_DEFINE(my_ops, .enqueue = (void *)my_enqueue, ..., .name = \"my_sched\"), "
        "char _license[] SEC(\"license\") = \"GPL\", UEI_DEFINE(uei) and UEI_RECORD(uei, ei) in "
        "exit. Returns compiled, the static checks (ops name, license, callbacks), verified "
        "(or the reason it could not be verified here), and registered. Compile errors come "
        "back with file:line:column and the source line; a kernel rejection with the end of "
        "the verifier log and the file holding all of it. Reusing a custom scheduler's name "
        "replaces it; built-in names are refused.";
    t.input_schema = create_input_schema();
    t.output_schema = create_output_schema();
    t.annotations = {
        .read_only = false, .destructive = false, .idempotent = false, .open_world = false};
    t.task_support = sdk::TaskSupport::optional;
    t.handler = [core](const bj::object& args,
                       sdk::CallContext& ctx) -> asio::awaitable<sdk::ToolResult> {
        CreateRequest req;
        req.name = sdk::json::required_string(args, "name");
        req.source = sdk::json::required_string(args, "source_code");
        req.info = info_from(args);
        // Compiling and verifying takes a while: a task when the client supports tasks.
        ctx.run_as_task();
        auto creating = core->create(req, ctx);  // call, then await: see sdk/blocking.hpp
        bj::object result = co_await std::move(creating);
        std::string text = render_result(result);
        co_return sdk::ToolResult::ok(std::move(result), std::move(text));
    };
    return t;
}

}  // namespace schedcp::plugins::compiler
