#include "cwmp/ctl/commands.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <regex>

#include "cwmp/fault.h"

namespace cwmp::ctl {

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            out += esc;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

namespace {

// A JSON object written member by member.
class JsonObject {
public:
    void raw(std::string_view key, std::string_view json) {
        out_ += (out_.empty() ? "{" : ",") + json_string(key) + ":" + std::string(json);
    }
    void str(std::string_view key, std::string_view value) { raw(key, json_string(value)); }
    std::string done() const { return (out_.empty() ? "{" : out_) + "}\n"; }

private:
    std::string out_;
};

std::string iso_time(std::int64_t t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

int exit_for(Fault f) {
    switch (f) {
        case Fault::None: return kOk;
        case Fault::InvalidParameterName: return kBadPath;
        case Fault::InvalidParameterType:
        case Fault::InvalidParameterValue: return kBadValue;
        case Fault::NonWritableParameter:
        case Fault::RequestDenied: return kNotWritable;
        default: return kFailed;
    }
}

// An engine outcome as cwmpctl's answer: the first per-name fault decides
// the exit status (SetParameterValues reports them all).
Response failure(const dm::Outcome& r, bool json) {
    const Fault first = r.details.empty() ? r.code : r.details.front().code;
    Response out{exit_for(first), {}};
    if (json) {
        JsonObject e;
        e.raw("code", std::to_string(static_cast<unsigned>(r.code)));
        e.str("message", r.message.empty() ? std::string(fault_string(r.code)) : r.message);
        std::string list;
        for (const dm::NameFault& f : r.details) {
            JsonObject d;
            d.str("name", f.name);
            d.raw("code", std::to_string(static_cast<unsigned>(f.code)));
            d.str("message", f.message.empty() ? std::string(fault_string(f.code)) : f.message);
            std::string one = d.done();
            one.pop_back();
            list += (list.empty() ? "" : ",") + one;
        }
        e.raw("faults", "[" + list + "]");
        std::string inner = e.done();
        inner.pop_back();
        JsonObject o;
        o.raw("error", inner);
        out.text = o.done();
        return out;
    }
    out.text = "cwmpctl: " + std::to_string(static_cast<unsigned>(r.code)) + " " + std::string(fault_string(r.code));
    if (!r.message.empty()) out.text += ": " + r.message;
    out.text += "\n";
    for (const dm::NameFault& f : r.details)
        out.text += f.name + ": " + std::to_string(static_cast<unsigned>(f.code)) + " " +
                    std::string(fault_string(f.code)) + (f.message.empty() ? "" : ": " + f.message) + "\n";
    return out;
}

Response usage(std::string text) { return {kUsage, "cwmpctl: " + text + "\n"}; }
Response failed(std::string text) { return {kFailed, "cwmpctl: " + text + "\n"}; }

const char* kind_name(tasks::Transfer::Kind k) {
    switch (k) {
        case tasks::Transfer::Kind::Download: return "Download";
        case tasks::Transfer::Kind::Upload: return "Upload";
        case tasks::Transfer::Kind::ScheduleDownload: return "ScheduleDownload";
        case tasks::Transfer::Kind::AutonomousDownload: return "AutonomousDownload";
        case tasks::Transfer::Kind::AutonomousUpload: return "AutonomousUpload";
    }
    return "?";
}

const char* phase_name(tasks::Transfer::Phase p) {
    switch (p) {
        case tasks::Transfer::Phase::Queued: return "queued";
        case tasks::Transfer::Phase::Started: return "started";
        case tasks::Transfer::Phase::Installed: return "installed";
        case tasks::Transfer::Phase::Done: return "done";
    }
    return "?";
}

}  // namespace

Commands::Commands(dm::Engine& engine, agent::Agent& agent, tasks::Tasks& tasks, util::Clock now)
    : engine_(engine), agent_(agent), tasks_(tasks), now_(std::move(now)) {}

Response Commands::run(const Request& r, const Caller& caller) {
    const std::string& c = r.command;
    if (c == "get") return get(r, caller);
    if (c == "set") return set(r);
    if (c == "add") return add(r);
    if (c == "del") return del(r);
    if (c == "names") return names(r);
    if (c == "attrs") return attrs(r);
    if (c == "inform") return inform(r);
    if (c == "status") return status(r);
    if (c == "events") return events(r);
    if (c == "request-download") return request_download(r);
    return usage("unknown command " + c);
}

Response Commands::get(const Request& r, const Caller& caller) {
    if (r.args.empty()) return usage("get PATH...");
    std::vector<std::pair<std::string, std::string>> values;
    std::vector<std::size_t> hidden;  // read again for root, outside the walk
    const dm::Outcome o = engine_.get_values(r.args, [&](std::string_view name, const dm::Param& p, std::string_view v) {
        if (p.hidden()) hidden.push_back(values.size());
        values.emplace_back(name, v);
    });
    if (!o) return failure(o, r.json);
    if (caller.root())
        for (std::size_t i : hidden)
            if (dm::Outcome h = engine_.get_value(values[i].first, values[i].second); !h) return failure(h, r.json);
    Response out;
    JsonObject j;
    for (const auto& [name, value] : values) {
        if (r.json) j.str(name, value);
        else out.text += name + " " + value + "\n";
    }
    if (r.json) out.text = j.done();
    return out;
}

Response Commands::set(const Request& r) {
    if (r.args.empty() || r.args.size() % 2 != 0) return usage("set PATH VALUE [PATH VALUE]...");
    std::vector<dm::Engine::NameValue> values;
    for (std::size_t i = 0; i < r.args.size(); i += 2) values.push_back({r.args[i], r.args[i + 1], ""});
    const dm::Outcome o = engine_.set_values(values, "", dm::Engine::Origin::Local);
    if (!o) return failure(o, r.json);
    agent_.values_may_have_changed();  // notified per the attributes, as any change
    return {kOk, r.json ? "{}\n" : ""};
}

Response Commands::add(const Request& r) {
    if (r.args.size() != 1) return usage("add TABLE.");
    std::uint32_t number = 0;
    const dm::Outcome o = engine_.add_object(r.args[0], "", number, dm::Engine::Origin::Local);
    if (!o) return failure(o, r.json);
    agent_.values_may_have_changed();
    std::string table = r.args[0];
    if (table.ends_with("].")) table.resize(table.rfind('[', table.size()));  // "T.[alias]." names the row
    const std::string path = table + std::to_string(number) + ".";
    if (r.json) {
        JsonObject j;
        j.str("path", path);
        j.raw("instance", std::to_string(number));
        return {kOk, j.done()};
    }
    return {kOk, path + "\n"};
}

Response Commands::del(const Request& r) {
    if (r.args.size() != 1) return usage("del INSTANCE.");
    const dm::Outcome o = engine_.delete_object(r.args[0], "", dm::Engine::Origin::Local);
    if (!o) return failure(o, r.json);
    agent_.values_may_have_changed();
    return {kOk, r.json ? "{}\n" : ""};
}

Response Commands::names(const Request& r) {
    bool next_level = false;
    std::vector<std::string> paths;
    for (const std::string& a : r.args) {
        if (a == "--next-level") next_level = true;
        else paths.push_back(a);
    }
    if (paths.size() > 1) return usage("names [--next-level] [PATH]");
    const std::string path = paths.empty() ? "" : paths.front();
    Response out;
    JsonObject j;
    const dm::Outcome o = engine_.get_names(path, next_level, [&](std::string_view name, bool writable) {
        if (r.json) j.raw(name, writable ? "true" : "false");
        else out.text += std::string(name) + (writable ? " w\n" : " r\n");
    });
    if (!o) return failure(o, r.json);
    if (r.json) out.text = j.done();
    return out;
}

Response Commands::attrs(const Request& r) {
    if (r.args.empty()) return usage("attrs PATH...");
    Response out;
    JsonObject j;
    const dm::Outcome o = engine_.get_attributes(r.args, [&](std::string_view name, const dm::Attributes& a) {
        if (r.json) {
            JsonObject one;
            one.raw("notification", std::to_string(a.notification));
            std::string list;
            for (const std::string& e : a.access_list) list += (list.empty() ? "" : ",") + json_string(e);
            one.raw("access_list", "[" + list + "]");
            std::string text = one.done();
            text.pop_back();
            j.raw(name, text);
        } else {
            out.text += std::string(name) + " " + std::to_string(a.notification);
            for (const std::string& e : a.access_list) out.text += " " + e;
            out.text += "\n";
        }
    });
    if (!o) return failure(o, r.json);
    if (r.json) out.text = j.done();
    return out;
}

// Only a vendor event: every standard event code names a cause (a boot, a
// connection request, the periodic timer...) that a local command is not;
// TR-069 3.7.1.5 lets a vendor define "X <OUI> <event>" codes of its own.
Response Commands::inform(const Request& r) {
    if (r.args.size() > 1) return usage("inform [\"X <OUI> <NAME>\"]");
    std::string event;
    if (r.args.empty()) {
        std::string oui;
        const std::string_view oui_param = engine_.schema().paths.device_info.manufacturer_oui;
        if (!engine_.get_value(oui_param, oui) || oui.empty())
            return failed("no " + std::string(oui_param) + " to name the default event: give \"X <OUI> <NAME>\"");
        event = "X " + oui + " CWMPCTL";
    } else {
        event = r.args.front();
    }
    static const std::regex vendor("X [0-9A-F]{6} [!-~]([ -~]*[!-~])?");
    if (event.size() > 64 || !std::regex_match(event, vendor))
        return usage("the event must be a vendor event \"X <OUI> <NAME>\" (OUI: 6 hex digits, upper case; "
                     "at most 64 characters), not \"" + event + "\"");
    agent_.request_session(event);
    if (r.json) {
        JsonObject j;
        j.str("event", event);
        return {kOk, j.done()};
    }
    return {kOk, "inform " + event + "\n"};
}

Response Commands::status(const Request& r) {
    if (!r.args.empty()) return usage("status");
    const agent::Agent::Status s = agent_.status();
    const std::vector<tasks::Transfer> transfers = tasks_.transfers();
    const auto downloads = tasks_.download_requests();
    // Every single-instance diagnostic's state, from the generated schema.
    std::vector<std::pair<std::string, std::string>> diags;
    for (const dm::Param& p : engine_.schema().params) {
        if (!p.path.ends_with(".DiagnosticsState") || p.path.find("{i}") != std::string_view::npos) continue;
        std::string v;
        if (engine_.get_value(p.path, v)) diags.emplace_back(p.path, v);
    }
    if (r.json) {
        JsonObject j;
        j.str("acs_url", s.acs_url);
        if (s.last_session == 0) {
            j.raw("last_session", "null");
        } else {
            JsonObject l;
            l.str("time", iso_time(s.last_session));
            l.raw("completed", s.last_session_completed ? "true" : "false");
            std::string t = l.done();
            t.pop_back();
            j.raw("last_session", t);
        }
        j.raw("retry_count", std::to_string(s.retry_count));
        j.raw("next_periodic", s.next_periodic == 0 ? "null" : json_string(iso_time(s.next_periodic)));
        j.raw("sessions", std::to_string(s.sessions));
        j.raw("session_due", s.session_wanted ? "true" : "false");
        std::string list;
        for (const tasks::Transfer& t : transfers) {
            JsonObject one;
            one.raw("id", std::to_string(t.id));
            one.str("kind", kind_name(t.kind));
            one.str("phase", phase_name(t.phase));
            one.str("file_type", t.file_type);
            std::string text = one.done();
            text.pop_back();
            list += (list.empty() ? "" : ",") + text;
        }
        j.raw("transfers", "[" + list + "]");
        list.clear();
        for (const auto& d : downloads) list += (list.empty() ? "" : ",") + json_string(d.file_type);
        j.raw("download_requests", "[" + list + "]");
        JsonObject dj;
        for (const auto& [name, v] : diags) dj.str(name, v);
        std::string dt = dj.done();
        dt.pop_back();
        j.raw("diagnostics", dt);
        return {kOk, j.done()};
    }
    std::string out = "acs_url " + s.acs_url + "\n";
    out += "last_session " + (s.last_session == 0 ? std::string("none")
                                                    : iso_time(s.last_session) +
                                                          (s.last_session_completed ? " completed" : " failed")) + "\n";
    out += "retry_count " + std::to_string(s.retry_count) + "\n";
    out += "next_periodic " + (s.next_periodic == 0 ? std::string("off") : iso_time(s.next_periodic)) + "\n";
    out += "sessions " + std::to_string(s.sessions) + "\n";
    out += std::string("session_due ") + (s.session_wanted ? "yes" : "no") + "\n";
    out += "transfers " + std::to_string(transfers.size()) + "\n";
    for (const tasks::Transfer& t : transfers)
        out += "transfer." + std::to_string(t.id) + " " + kind_name(t.kind) + " " + phase_name(t.phase) + " " +
               t.file_type + "\n";
    out += "download_requests " + std::to_string(downloads.size()) + "\n";
    for (const auto& [name, v] : diags) out += name + " " + v + "\n";
    return {kOk, out};
}

Response Commands::events(const Request& r) {
    if (!r.args.empty()) return usage("events");
    Response out;
    std::string list;
    for (const tasks::Event& e : tasks_.events()) {
        if (r.json) {
            JsonObject one;
            one.str("code", e.code);
            one.str("command_key", e.command_key);
            std::string text = one.done();
            text.pop_back();
            list += (list.empty() ? "" : ",") + text;
        } else {
            out.text += e.code + (e.command_key.empty() ? "" : "\t" + e.command_key) + "\n";
        }
    }
    if (r.json) out.text = "[" + list + "]\n";
    return out;
}

Response Commands::request_download(const Request& r) {
    if (r.args.empty()) return usage("request-download FILETYPE [NAME=VALUE]...");
    std::vector<std::pair<std::string, std::string>> args;
    for (std::size_t i = 1; i < r.args.size(); ++i) {
        const std::size_t eq = r.args[i].find('=');
        if (eq == std::string::npos || eq == 0) return usage("request-download: NAME=VALUE, not " + r.args[i]);
        args.emplace_back(r.args[i].substr(0, eq), r.args[i].substr(eq + 1));
    }
    if (!agent_.request_download(r.args[0], args))
        return failed("RequestDownload of \"" + r.args[0] +
                      "\" refused (a bad file type or arguments, a full queue, or an ACS that does not take it; "
                      "cwmpd's log says which)");
    return {kOk, r.json ? "{}\n" : ""};
}

}  // namespace cwmp::ctl
