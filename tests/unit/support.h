// What the unit tests share: a scratch directory, reading files, what a
// function writes to stderr, and the BBF schema check of a message (validate-cwmp, named by $CWMP_VALIDATE).
#pragma once

#include <doctest/doctest.h>

#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test {

// A forked child tells its parent it has begun the work to interrupt (one
// byte on a pipe), so that a kill -9 test kills it at a random point of that
// work rather than before it starts, however busy the machine is.
class Progress {
public:
    Progress() { REQUIRE(::pipe(fds_) == 0); }
    ~Progress() {
        for (int fd : fds_)
            if (fd >= 0) ::close(fd);
    }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // In the child: says "begun" (async-signal-safe, as after fork()).
    void tell() {
        const char byte = 1;
        (void)!::write(fds_[1], &byte, 1);
    }
    // In the parent: true once the child said it, false when it did not
    // within `timeout_ms` or exited first.
    bool wait(int timeout_ms = 60000) {
        pollfd p{fds_[0], POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) != 1 || (p.revents & POLLIN) == 0) return false;
        char byte = 0;
        return ::read(fds_[0], &byte, 1) == 1;
    }

private:
    int fds_[2] = {-1, -1};
};

// A directory under $TMPDIR (or /tmp), removed with everything in it.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& stem = "cwmp-test") {
        const char* tmp = std::getenv("TMPDIR");
        std::string tmpl = std::string(tmp ? tmp : "/tmp") + "/" + stem + "-XXXXXX";
        REQUIRE(mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name = "agent.db") const { return (path / name).string(); }
};

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// validate-cwmp's verdict on `xml`: "" when valid, else what it printed.
inline std::string schema_errors(const std::string& xml) {
    const char* validator = std::getenv("CWMP_VALIDATE");
    REQUIRE_MESSAGE(validator != nullptr, "CWMP_VALIDATE names validate-cwmp");
    TempDir dir("cwmp-validate");
    const std::string path = dir.file("message.xml");
    const std::string log = dir.file("validate.log");
    std::ofstream(path, std::ios::binary) << xml;
    const std::string cmd = std::string(validator) + " " + path + " >" + log + " 2>&1";
    return std::system(cmd.c_str()) == 0 ? std::string() : read_file(log);
}

// What `f` writes to stderr (fd 2), through a temporary file.
template <class F>
std::string stderr_of(F&& f) {
    std::fflush(stderr);
    char path[] = "/tmp/cwmp-stderr-XXXXXX";
    const int tmp = ::mkstemp(path);
    REQUIRE(tmp >= 0);
    const int saved = ::dup(2);
    ::dup2(tmp, 2);
    f();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::string out;
    char buf[4096];
    ::lseek(tmp, 0, SEEK_SET);
    for (ssize_t n; (n = ::read(tmp, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(tmp);
    ::unlink(path);
    return out;
}

inline bool schema_valid(const std::string& xml) { return schema_errors(xml).empty(); }

// A CWMP 1.2 envelope as the writer starts it (cwmp:ID `id`) and ends it.
inline std::string envelope_start(const std::string& id) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\""
           " xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\""
           " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
           " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
           " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\">"
           "<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">" + id + "</cwmp:ID></soap-env:Header>"
           "<soap-env:Body>";
}
inline const std::string kEnvelopeEnd = "</soap-env:Body></soap-env:Envelope>";

}  // namespace test
