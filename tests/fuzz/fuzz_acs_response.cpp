// The ACS's side of a session, through a fake transport: the input is the
// ACS's successive HTTP answers (to the Inform, to each TransferComplete,
// to the empty POST and to each of our responses), separated by a line
// "-----".  An answer starting "HTTP NNN\n" has that status; otherwise 200,
// or 204 when empty.  A finished download waits to be reported, so a
// session reaches TransferComplete.  Invariants: the session ends (the
// answers run out), every message the CPE posts after the Inform is a
// well-formed envelope or the empty POST, and it never throws.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/session/http.h"
#include "cwmp/session/session.h"
#include "cwmp/soap/reader.h"
#include "cwmp/util/log.h"
#include "world.h"

namespace {

constexpr std::string_view kSeparator = "\n-----\n";

class FakeAcs : public cwmp::session::HttpSession {
public:
    explicit FakeAcs(std::string_view script) {
        for (;;) {
            const std::size_t at = script.find(kSeparator);
            answers_.push_back(script.substr(0, at));
            if (at == std::string_view::npos) break;
            script.remove_prefix(at + kSeparator.size());
        }
    }

    cwmp::session::HttpResponse post(std::string_view body) override {
        ++posts_;
        if (posts_ > 1 && !body.empty()) {  // the Inform is ours alone; check the rest
            cwmp::soap::Limits ours;
            ours.max_bytes = std::size_t{1} << 30;
            ours.max_elements = std::size_t{1} << 26;
            const cwmp::soap::ParseResult p = cwmp::soap::parse_envelope(body, ours);
            fuzz::check(p.envelope.has_value(), "the CPE posted a message that is not an envelope: " + p.error, body);
        }
        cwmp::session::HttpResponse r;
        if (next_ == answers_.size()) {
            r.error = "the fake ACS has no more answers";
            return r;
        }
        std::string_view a = answers_[next_++];
        r.status = a.empty() ? 204 : 200;
        if (a.starts_with("HTTP ") && a.size() >= 9 && a[8] == '\n') {
            long status = 0;
            auto [p, ec] = std::from_chars(a.data() + 5, a.data() + 8, status);
            if (ec == std::errc() && p == a.data() + 8) r.status = status;
            a.remove_prefix(9);
        }
        r.body = std::string(a);
        r.content_type = "text/xml; charset=utf-8";
        return r;
    }
    const std::string& url() const noexcept override { return url_; }
    std::size_t posts() const noexcept { return posts_; }
    std::size_t answers() const noexcept { return answers_.size(); }

private:
    std::vector<std::string_view> answers_;
    std::size_t next_ = 0;
    std::size_t posts_ = 0;
    std::string url_ = "http://acs.invalid/";
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::World w;
    cwmp::tasks::Transfer t;
    t.kind = cwmp::tasks::Transfer::Kind::Download;
    t.command_key = "fuzz";
    t.url = "http://files.invalid/fw.bin";
    t.file_type = "1 Firmware Upgrade Image";
    t.phase = cwmp::tasks::Transfer::Phase::Done;
    t.state = cwmp::tasks::TransferState::Completed;
    t.fault_code = 9019;
    t.fault_string = "Download failure: file authentication failure: bad signature";
    t.start_time = w.t - 10;
    t.complete_time = w.t;
    w.tasks.queue(t);

    FakeAcs acs(std::string_view(reinterpret_cast<const char*>(data), size));
    const cwmp::util::Log log(cwmp::util::Log::Sink::None);
    cwmp::session::Session session(acs, w.engine, w.cpe, log, &w.tasks);
    cwmp::session::InformInput in;
    in.events = {{"1 BOOT", "", 0}, {"7 TRANSFER COMPLETE", "", 0}};
    in.now = w.t;
    in.id = "inform-1";
    const cwmp::session::SessionResult r = session.run(in);
    fuzz::check(acs.posts() <= acs.answers() + 1, "the session went on after the ACS's answers ran out");
    fuzz::check(r.completed || !r.error.empty(), "a session neither completed nor said why it failed");
    return 0;
}
