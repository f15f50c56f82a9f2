// Small builders for the JSON Schemas plugins write by hand (tools' output schemas above
// all), so a schema reads like the shape it describes. Everything they build uses only the
// keywords schema.hpp implements.
#pragma once

#include <initializer_list>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace schedcp::sdk::schema {

// {"type": t} with an optional description.
inline boost::json::object type(const char* t, const char* description = nullptr) {
    boost::json::object o{{"type", t}};
    if (description) o["description"] = description;
    return o;
}

// {"type": [t, "null"]}: a value that may be null.
inline boost::json::object nullable(const char* t) {
    return boost::json::object{{"type", boost::json::array{t, "null"}}};
}

// {"enum": [...]}.
inline boost::json::object one_of_values(std::initializer_list<const char*> values) {
    boost::json::array a;
    for (const char* v : values) a.push_back(boost::json::string(v));
    return boost::json::object{{"enum", std::move(a)}};
}

// An array whose every item is `items`.
inline boost::json::object array_of(boost::json::object items) {
    return boost::json::object{{"type", "array"}, {"items", std::move(items)}};
}

// An object with these properties, of which `required` must be present; others allowed
// (data read from files that may carry more, such as SchedCP's).
inline boost::json::object object_of(boost::json::object properties,
                                     std::initializer_list<const char*> required) {
    boost::json::array r;
    for (const char* k : required) r.push_back(boost::json::string(k));
    return boost::json::object{
        {"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(r)}};
}

// The same, closed: no property but these (a shape the plugin writes itself).
inline boost::json::object closed_object(boost::json::object properties,
                                         std::initializer_list<const char*> required) {
    boost::json::object o = object_of(std::move(properties), required);
    o["additionalProperties"] = false;
    return o;
}

// An object whose every property's value is `values` (a map: names are data).
inline boost::json::object map_of(boost::json::object values) {
    return boost::json::object{{"type", "object"}, {"additionalProperties", std::move(values)}};
}

// {"anyOf": [...]}: one of several shapes (a multi-command tool's answers).
inline boost::json::object any_of(std::initializer_list<boost::json::object> shapes) {
    boost::json::array a;
    for (const auto& s : shapes) a.push_back(s);
    return boost::json::object{{"anyOf", std::move(a)}};
}

// {available: true, ...fields} or {available: false, reason}: a source this host may lack.
inline boost::json::object available_or_why(boost::json::object fields,
                                            std::initializer_list<const char*> required) {
    fields["available"] = boost::json::object{{"const", true}};
    boost::json::object present = object_of(std::move(fields), required);
    present["required"].as_array().push_back("available");
    return any_of(
        {std::move(present),
         object_of(boost::json::object{{"available", boost::json::object{{"const", false}}},
                                       {"reason", type("string")}},
                   {"available", "reason"})});
}

}  // namespace schedcp::sdk::schema
