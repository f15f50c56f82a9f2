#include "schedcp/sdk/schema.hpp"

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>
#include <string_view>

#include "schedcp/sdk/json.hpp"

namespace schedcp::sdk {

namespace bj = boost::json;

namespace {

// x-mcp-header (MCP 2026-07-28, SEP-2243): the header that mirrors a tool argument; the
// HTTP transport checks it against the argument, validation ignores it.
const std::set<std::string_view> kAnnotations = {
    "title",    "description", "default",  "examples",  "$schema",
    "$comment", "deprecated",  "readOnly", "writeOnly", "x-mcp-header"};
const std::set<std::string_view> kKeywords = {"type",
                                              "properties",
                                              "required",
                                              "additionalProperties",
                                              "items",
                                              "enum",
                                              "const",
                                              "minimum",
                                              "maximum",
                                              "exclusiveMinimum",
                                              "exclusiveMaximum",
                                              "minLength",
                                              "maxLength",
                                              "pattern",
                                              "minItems",
                                              "maxItems",
                                              "uniqueItems",
                                              "anyOf",
                                              "oneOf",
                                              "allOf",
                                              "if",
                                              "then",
                                              "else",
                                              "$defs",
                                              "$ref",
                                              "$anchor"};
const std::set<std::string_view> kTypes = {"string", "integer", "number", "boolean",
                                           "object", "array",   "null"};

bool is_integer(const bj::value& v) {
    if (v.is_int64() || v.is_uint64()) return true;
    if (v.is_double()) {
        double d = v.get_double();
        return std::isfinite(d) && d == std::floor(d);
    }
    return false;
}

bool has_type(const bj::value& v, std::string_view type) {
    if (type == "integer") return is_integer(v);
    if (type == "number") return v.is_number();
    return json::type_name(v) == type;
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string short_json(const bj::value& v) {
    std::string s = json::compact(v);
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
}

std::string number_text(double d) {
    if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    std::string s = std::to_string(d);
    while (!s.empty() && s.back() == '0') s.pop_back();
    return s;
}

// The longest string matched against a "pattern" (PATH_MAX: the patterns check paths and names).
constexpr std::size_t kMaxPatternSubject = 4096;

// Cache compiled patterns: schemas are fixed for the life of the process.
const std::regex& compiled(const std::string& pattern) {
    static thread_local std::map<std::string, std::regex> cache;
    auto it = cache.find(pattern);
    if (it == cache.end())
        it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
    return it->second;
}

// How many $ref hops one check may take in a row without descending into the instance:
// beyond it the references go round in a circle ({"$ref": "#/$defs/a"} inside "a").
constexpr int kMaxRefHops = 32;

// The schema a reference names inside `root`: "#/$defs/NAME" or "#ANCHOR" (an $anchor in
// $defs). Nothing else is supported (check_schema() refuses it), so null for anything else.
const bj::value* resolve_ref(const bj::object* root, std::string_view ref) {
    if (!root) return nullptr;
    const auto* defs = root->if_contains("$defs");
    if (!defs || !defs->is_object()) return nullptr;
    if (ref.starts_with("#/$defs/")) return defs->get_object().if_contains(ref.substr(8));
    if (ref.starts_with("#") && ref.size() > 1)
        for (const auto& d : defs->get_object())
            if (d.value().is_object())
                if (const auto* a = d.value().get_object().if_contains("$anchor");
                    a && a->is_string() && a->get_string() == ref.substr(1))
                    return &d.value();
    return nullptr;
}

// The keywords of one schema object, found in one pass over its members: a value is
// checked against a handful of them, and looking each of two dozen keywords up by name
// was most of the cost of checking a tool call's arguments.
struct Keywords {
    const bj::value *ref = nullptr, *all_of = nullptr, *if_ = nullptr, *then_ = nullptr,
                    *else_ = nullptr, *type = nullptr, *enum_ = nullptr, *const_ = nullptr,
                    *any_of = nullptr, *one_of = nullptr, *minimum = nullptr, *maximum = nullptr,
                    *exclusive_minimum = nullptr, *exclusive_maximum = nullptr,
                    *min_length = nullptr, *max_length = nullptr, *pattern = nullptr,
                    *min_items = nullptr, *max_items = nullptr, *unique_items = nullptr,
                    *items = nullptr, *properties = nullptr, *required = nullptr,
                    *additional_properties = nullptr;
};

Keywords keywords_of(const bj::object& schema) {
    Keywords k;
    // The first of duplicate keys wins, as object::find would have it.
    const auto take = [](const bj::value*& slot, const bj::value& v) {
        if (!slot) slot = &v;
    };
    for (const auto& kv : schema) {
        const std::string_view key = kv.key();
        const bj::value& v = kv.value();
        switch (key.size()) {
            case 2:
                if (key == "if") take(k.if_, v);
                break;
            case 4:
                if (key == "type")
                    take(k.type, v);
                else if (key == "enum")
                    take(k.enum_, v);
                else if (key == "$ref")
                    take(k.ref, v);
                else if (key == "then")
                    take(k.then_, v);
                else if (key == "else")
                    take(k.else_, v);
                break;
            case 5:
                if (key == "items")
                    take(k.items, v);
                else if (key == "const")
                    take(k.const_, v);
                else if (key == "anyOf")
                    take(k.any_of, v);
                else if (key == "allOf")
                    take(k.all_of, v);
                else if (key == "oneOf")
                    take(k.one_of, v);
                break;
            case 7:
                if (key == "minimum")
                    take(k.minimum, v);
                else if (key == "maximum")
                    take(k.maximum, v);
                else if (key == "pattern")
                    take(k.pattern, v);
                break;
            case 8:
                if (key == "required")
                    take(k.required, v);
                else if (key == "minItems")
                    take(k.min_items, v);
                else if (key == "maxItems")
                    take(k.max_items, v);
                break;
            case 9:
                if (key == "minLength")
                    take(k.min_length, v);
                else if (key == "maxLength")
                    take(k.max_length, v);
                break;
            case 10:
                if (key == "properties") take(k.properties, v);
                break;
            case 11:
                if (key == "uniqueItems") take(k.unique_items, v);
                break;
            case 16:
                if (key == "exclusiveMinimum")
                    take(k.exclusive_minimum, v);
                else if (key == "exclusiveMaximum")
                    take(k.exclusive_maximum, v);
                break;
            case 20:
                if (key == "additionalProperties") take(k.additional_properties, v);
                break;
            default:
                break;
        }
    }
    return k;
}

class Validator {
  public:
    // `root`: the whole schema, where references are resolved (null: a boolean schema).
    explicit Validator(const bj::object* root, int ref_hops = 0)
        : root_(root), ref_hops_(ref_hops) {}

    std::vector<SchemaViolation> violations;

    void check(const bj::value& schema, const bj::value& v, const std::string& path) {
        if (schema.is_bool()) {
            if (!schema.get_bool()) add(path, "is not allowed");
            return;
        }
        if (schema.is_object()) check_object_schema(schema.get_object(), v, path);
    }

    void check_object_schema(const bj::object& s, const bj::value& v, const std::string& path) {
        const Keywords k = keywords_of(s);
        if (const bj::value* it = k.ref) {
            const bj::value* target = resolve_ref(root_, it->as_string());
            if (!target || ref_hops_ >= kMaxRefHops) {
                add(path, "cannot be checked: the schema's reference " + json::compact(*it) +
                              " goes nowhere or round in a circle");
            } else {
                Validator inner(root_, ref_hops_ + 1);
                inner.check(*target, v, path);
                violations.insert(violations.end(), inner.violations.begin(),
                                  inner.violations.end());
            }
        }
        if (const bj::value* it = k.all_of)
            for (const auto& sub : it->get_array()) check(sub, v, path);
        if (const bj::value* it = k.if_) {
            Validator condition(root_, ref_hops_);
            condition.check(*it, v, path);
            const bj::value* branch = condition.violations.empty() ? k.then_ : k.else_;
            if (branch) check(*branch, v, path);
        }

        if (const bj::value* it = k.type) {
            if (!type_matches(*it, v)) {
                add(path, "must be " + type_text(*it) + ", got " + std::string(json::type_name(v)));
                return;  // further keywords would only repeat the type error
            }
        }
        if (const bj::value* it = k.enum_) {
            bool found = false;
            for (const auto& e : it->get_array())
                if (equal(e, v)) found = true;
            if (!found) {
                std::string allowed;
                for (const auto& e : it->get_array())
                    allowed += (allowed.empty() ? "" : ", ") + json::compact(e);
                add(path, "must be one of " + allowed + ", got " + short_json(v));
            }
        }
        if (const bj::value* it = k.const_; it && !equal(*it, v))
            add(path, "must be " + json::compact(*it) + ", got " + short_json(v));

        if (v.is_number()) check_number(k, v.to_number<double>(), path);
        if (v.is_string()) check_string(k, v.get_string(), path);
        if (v.is_array()) check_array(k, v.get_array(), path);
        if (v.is_object()) check_object(k, v.get_object(), path);

        if (const bj::value* it = k.any_of) {
            std::size_t best = SIZE_MAX;
            std::vector<SchemaViolation> best_errors;
            for (const auto& sub : it->get_array()) {
                Validator inner(root_, ref_hops_);
                inner.check(sub, v, path);
                if (inner.violations.empty()) return;
                if (inner.violations.size() < best) {
                    best = inner.violations.size();
                    best_errors = inner.violations;
                }
            }
            violations.insert(violations.end(), best_errors.begin(), best_errors.end());
        }
        if (const bj::value* it = k.one_of) {
            int matches = 0;
            for (const auto& sub : it->get_array()) {
                Validator inner(root_, ref_hops_);
                inner.check(sub, v, path);
                if (inner.violations.empty()) ++matches;
            }
            if (matches != 1)
                add(path, matches == 0 ? "matches none of the allowed forms"
                                       : "matches more than one of the allowed forms");
        }
    }

  private:
    const bj::object* root_;
    int ref_hops_;

    void add(const std::string& path, std::string message) {
        violations.push_back({path, std::move(message)});
    }

    static bool equal(const bj::value& a, const bj::value& b) {
        if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
        return a == b;
    }

    static bool type_matches(const bj::value& type, const bj::value& v) {
        if (type.is_string()) return has_type(v, type.get_string());
        for (const auto& t : type.get_array())
            if (has_type(v, t.get_string())) return true;
        return false;
    }

    static std::string type_text(const bj::value& type) {
        auto article = [](std::string_view t) {
            std::string a = (t == "integer" || t == "object" || t == "array") ? "an " : "a ";
            if (t == "null") return std::string("null");
            return a + std::string(t);
        };
        if (type.is_string()) return article(type.get_string());
        std::string out;
        const auto& arr = type.get_array();
        for (std::size_t i = 0; i < arr.size(); ++i) {
            if (i) out += (i + 1 == arr.size()) ? " or " : ", ";
            out += article(arr[i].get_string());
        }
        return out;
    }

    void check_number(const Keywords& k, double d, const std::string& path) {
        if (const bj::value* it = k.minimum; it && d < it->to_number<double>())
            add(path,
                "must be >= " + number_text(it->to_number<double>()) + ", got " + number_text(d));
        if (const bj::value* it = k.maximum; it && d > it->to_number<double>())
            add(path,
                "must be <= " + number_text(it->to_number<double>()) + ", got " + number_text(d));
        if (const bj::value* it = k.exclusive_minimum; it && d <= it->to_number<double>())
            add(path,
                "must be > " + number_text(it->to_number<double>()) + ", got " + number_text(d));
        if (const bj::value* it = k.exclusive_maximum; it && d >= it->to_number<double>())
            add(path,
                "must be < " + number_text(it->to_number<double>()) + ", got " + number_text(d));
    }

    void check_string(const Keywords& k, std::string_view str, const std::string& path) {
        std::size_t n = code_points(str);
        if (const bj::value* it = k.min_length; it && n < it->to_number<std::size_t>())
            add(path, n == 0 ? "must not be empty"
                             : "must be at least " + std::to_string(it->to_number<std::size_t>()) +
                                   " characters long, got " + std::to_string(n));
        if (const bj::value* it = k.max_length; it && n > it->to_number<std::size_t>())
            add(path, "must be at most " + std::to_string(it->to_number<std::size_t>()) +
                          " characters long, got " + std::to_string(n));
        if (const bj::value* it = k.pattern) {
            std::string pattern(it->get_string());
            // libstdc++'s std::regex recurses per character matched: a long enough string
            // (tens of KB) overflows the stack. Longer strings are refused unmatched.
            if (str.size() > kMaxPatternSubject)
                add(path, "is " + std::to_string(str.size()) +
                              " bytes long; a value checked against a pattern may have at most " +
                              std::to_string(kMaxPatternSubject));
            else if (!std::regex_search(str.begin(), str.end(), compiled(pattern)))
                add(path,
                    "must match the pattern " + pattern + ", got " + short_json(bj::value(str)));
        }
    }

    void check_array(const Keywords& k, const bj::array& a, const std::string& path) {
        if (const bj::value* it = k.min_items; it && a.size() < it->to_number<std::size_t>())
            add(path, "must have at least " + std::to_string(it->to_number<std::size_t>()) +
                          " items, got " + std::to_string(a.size()));
        if (const bj::value* it = k.max_items; it && a.size() > it->to_number<std::size_t>())
            add(path, "must have at most " + std::to_string(it->to_number<std::size_t>()) +
                          " items, got " + std::to_string(a.size()));
        if (const bj::value* it = k.unique_items; it && it->as_bool()) {
            for (std::size_t i = 0; i < a.size(); ++i)
                for (std::size_t j = i + 1; j < a.size(); ++j)
                    if (equal(a[i], a[j])) {
                        add(path, "must not repeat items (items " + std::to_string(i) + " and " +
                                      std::to_string(j) + " are equal)");
                        i = a.size();
                        break;
                    }
        }
        if (const bj::value* it = k.items)
            for (std::size_t i = 0; i < a.size(); ++i)
                check(*it, a[i], path + "[" + std::to_string(i) + "]");
    }

    void check_object(const Keywords& k, const bj::object& o, const std::string& path) {
        const bj::object* props = nullptr;
        if (const bj::value* it = k.properties) props = &it->get_object();
        if (const bj::value* it = k.required)
            for (const auto& r : it->get_array())
                if (!o.contains(r.get_string()))
                    add(path + "." + std::string(r.get_string()), "is required");
        const bj::value* additional = nullptr;
        if (const bj::value* it = k.additional_properties) additional = it;
        for (const auto& kv : o) {
            std::string child = path + "." + std::string(kv.key());
            if (props) {
                if (auto p = props->find(kv.key()); p != props->end()) {
                    check(p->value(), kv.value(), child);
                    continue;
                }
            }
            if (!additional) continue;
            if (additional->is_bool()) {
                if (!additional->get_bool()) {
                    std::string allowed;
                    if (props)
                        for (const auto& p : *props)
                            allowed += (allowed.empty() ? "" : ", ") + std::string(p.key());
                    add(child, "is not a known property" + (allowed.empty()
                                                                ? std::string(" (none are allowed)")
                                                                : "; allowed: " + allowed));
                }
            } else {
                check(*additional, kv.value(), child);
            }
        }
    }
};

// check_schema(): one schema and everything in it. `where_` is the path of the schema being
// checked, grown and cut back as the check descends, so a node costs no string of its own
// (tools register large schemas, and every start-up checks them all).
class SchemaChecker {
  public:
    explicit SchemaChecker(const bj::object* root) : root_(root) {}

    void check(const bj::value& schema) {
        if (schema.is_bool()) return;
        if (!schema.is_object()) fail("must be an object or a boolean");
        check_object(schema.get_object());
    }

    void check_object(const bj::object& schema) {
        for (const auto& kv : schema) check_keyword(kv.key(), kv.value());
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::invalid_argument("schema" + where_ + ": " + what);
    }

    // Checks `schema`, found at the current path followed by `step` and `name`.
    void descend(const bj::value& schema, std::string_view step, std::string_view name = {}) {
        const std::size_t length = where_.size();
        where_.append(step).append(name);
        check(schema);
        where_.resize(length);
    }

    void check_keyword(std::string_view k, const bj::value& v) {
        if (kAnnotations.count(k)) return;
        if (!kKeywords.count(k))
            fail("unsupported keyword '" + std::string(k) +
                 "' (schedcp's validator would ignore it; schema.hpp lists what it supports)");
        if (k == "type") {
            auto ok_type = [](const bj::value& t) {
                return t.is_string() && kTypes.count(t.get_string());
            };
            bool ok = ok_type(v);
            if (v.is_array()) {
                ok = !v.get_array().empty();
                for (const auto& t : v.get_array()) ok = ok && ok_type(t);
            }
            if (!ok) fail("'type' must be a JSON type name or an array of them");
        } else if (k == "properties") {
            if (!v.is_object()) fail("'properties' must be an object");
            for (const auto& p : v.get_object()) descend(p.value(), ".properties.", p.key());
        } else if (k == "required") {
            if (!v.is_array()) fail("'required' must be an array of strings");
            for (const auto& r : v.get_array())
                if (!r.is_string()) fail("'required' must be an array of strings");
        } else if (k == "additionalProperties" || k == "items" || k == "if" || k == "then" ||
                   k == "else") {
            descend(v, ".", k);
        } else if (k == "enum") {
            if (!v.is_array() || v.get_array().empty()) fail("'enum' must be a non-empty array");
        } else if (k == "$defs") {
            if (!where_.empty()) fail("'$defs' is only supported at the root");
            if (!v.is_object()) fail("'$defs' must be an object of schemas");
            for (const auto& d : v.get_object()) descend(d.value(), ".$defs.", d.key());
        } else if (k == "$anchor") {
            if (!v.is_string() || v.get_string().empty() ||
                !std::regex_match(std::string(v.get_string()),
                                  std::regex("[A-Za-z_][A-Za-z0-9_.-]*")))
                fail("'$anchor' must be a name ([A-Za-z_][A-Za-z0-9_.-]*)");
        } else if (k == "$ref") {
            if (!v.is_string() || !resolve_ref(root_, v.get_string()))
                fail(
                    "'$ref' must name a schema of this one's $defs, as \"#/$defs/NAME\" or "
                    "\"#ANCHOR\"; got " +
                    json::compact(v));
        } else if (k == "anyOf" || k == "oneOf" || k == "allOf") {
            if (!v.is_array() || v.get_array().empty())
                fail("'" + std::string(k) + "' must be a non-empty array");
            for (std::size_t i = 0; i < v.get_array().size(); ++i)
                descend(v.get_array()[i], "." + std::string(k) + "[" + std::to_string(i) + "]");
        } else if (k == "pattern") {
            if (!v.is_string()) fail("'pattern' must be a string");
            try {
                // Compiled into the cache validation uses: a pattern that several tools
                // share is compiled once, not once per schema and once more per use.
                compiled(std::string(v.get_string()));
            } catch (const std::regex_error& e) {
                fail("'pattern' is not a valid regular expression: " + std::string(e.what()));
            }
        } else if (k == "uniqueItems") {
            if (!v.is_bool()) fail("'uniqueItems' must be a boolean");
        } else if (k == "const") {
            // any value
        } else {
            // numeric keywords
            if (!v.is_number()) fail("'" + std::string(k) + "' must be a number");
            if ((k == "minLength" || k == "maxLength" || k == "minItems" || k == "maxItems") &&
                (!is_integer(v) || v.to_number<double>() < 0))
                fail("'" + std::string(k) + "' must be a non-negative integer");
        }
    }

    const bj::object* root_;  // for $ref: its $defs
    std::string where_;
};

}  // namespace

std::vector<SchemaViolation> validate(const bj::value& schema, const bj::value& instance,
                                      const std::string& root) {
    Validator v(schema.if_object());
    v.check(schema, instance, root);
    return std::move(v.violations);
}

std::vector<SchemaViolation> validate(const bj::object& schema, const bj::value& instance,
                                      const std::string& root) {
    Validator v(&schema);
    v.check_object_schema(schema, instance, root);
    return std::move(v.violations);
}

void check_schema(const bj::value& schema) {
    SchemaChecker(schema.if_object()).check(schema);
}

void check_schema(const bj::object& schema) {
    SchemaChecker(&schema).check_object(schema);
}

std::string describe(const std::vector<SchemaViolation>& violations) {
    std::string out;
    for (const auto& v : violations) {
        if (!out.empty()) out += "; ";
        out += v.path + " " + v.message;
    }
    return out;
}

}  // namespace schedcp::sdk
