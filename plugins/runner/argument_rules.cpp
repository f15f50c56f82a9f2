#include "argument_rules.hpp"

namespace schedcp::plugins::runner {

scheduler_args::Rules argument_rules(const sdk::services::SchedulerEntry& entry) {
    scheduler_args::Rules rules{.scheduler = entry.name};
    if (const auto* params = entry.metadata.if_contains("tuning_parameters");
        params && params->is_object()) {
        for (const auto& [key, value] : params->get_object()) {
            const auto* p = value.if_object();
            if (!p) continue;
            const auto* flag = p->if_contains("flag");
            const auto* type = p->if_contains("type");
            if (!flag || !flag->is_string() || !type || !type->is_string()) continue;
            const auto view = [](const boost::json::string& s) {
                return std::string_view(s.data(), s.size());
            };
            const auto value_type = scheduler_args::parse_type(view(type->get_string()));
            if (!value_type) continue;
            const auto* safe = p->if_contains("root_safe");
            const auto* short_flag = p->if_contains("short_flag");
            rules.parameters.push_back({
                .flag = view(flag->get_string()),
                .short_flag = short_flag && short_flag->is_string() ? view(short_flag->get_string())
                                                                    : std::string_view(),
                .type = *value_type,
                // Anything but an explicit true/absent is taken as unsafe.
                .root_safe = !safe || (safe->is_bool() && safe->get_bool()),
            });
        }
    }
    for (const auto& [mode, args] : entry.modes) rules.modes.emplace_back(args.begin(), args.end());
    return rules;
}

}  // namespace schedcp::plugins::runner
