#include "schedcp/sdk/sched_ext.hpp"

namespace schedcp::sdk::sched_ext {

boost::json::object to_json(const Status& s) {
    boost::json::object o{{"sched_ext", s.present}};
    if (!s.present) return o;
    o["state"] = s.state_text();
    o["ops"] = s.ops ? boost::json::value(*s.ops) : boost::json::value(nullptr);
    if (s.enable_seq) o["enable_seq"] = *s.enable_seq;
    if (s.nr_rejected) o["nr_rejected"] = *s.nr_rejected;
    if (s.switch_all) o["switch_all"] = *s.switch_all;
    if (s.hotplug_seq) o["hotplug_seq"] = *s.hotplug_seq;
    if (s.events) {
        boost::json::object events;
        for (const auto& e : *s.events) events[e.name] = e.value;
        o["events"] = std::move(events);
    }
    return o;
}

}  // namespace schedcp::sdk::sched_ext
