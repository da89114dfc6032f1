// The CPE's HTTP(S) client for CWMP sessions (libcurl underneath): one
// persistent connection per session, closed when the session ends (TR-069
// 3.4.1, 3.7.1), cookies echoed on every POST (the empty one included) and
// forgotten with the session, Basic and Digest authentication, redirects (at
// most 5 per session, later POSTs going where the ACS sent the first), and
// TLS with verification on by default.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace cwmp::session {

struct HttpOptions {
    std::string url;
    std::string username;
    std::string password;
    std::string ca_file;      // CA bundle for https:// ("" = the system's)
    std::string client_cert;  // PEM client certificate ("" = none)
    std::string client_key;   // its PEM key
    bool verify = true;       // peer certificate and host name
    std::chrono::seconds timeout{30};  // one exchange, connect included
    std::string user_agent = "cwmp-agent";
};

struct HttpResponse {
    long status = 0;            // 0: no HTTP answer (see error)
    std::string body;
    std::string content_type;
    std::string error;          // transport error (connection refused, TLS, timeout...)
};

// The libcurl handle the sessions of a process take in turn, so that what
// curl sets up once per handle (the multi handle inside it, with its
// wake-up socket pair and their flags) is not done again for every session.
// What belongs to a session (its connection, cookies, DNS answers, TLS
// session, authentication state, options) does not outlive it: see
// HttpSession.
class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

private:
    friend class HttpSession;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class HttpSession {
public:
    // One session on `client`'s handle (one session at a time per client):
    // the handle's options and authentication state are reset, and the
    // session's connection, cookies, DNS answers and TLS session are its
    // own, closed and forgotten when it ends.
    HttpSession(HttpClient& client, HttpOptions options);
    virtual ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    // POSTs a SOAP message (or, with an empty body, the empty POST).
    virtual HttpResponse post(std::string_view body);

    // Where the session's POSTs go now (after any redirect).
    virtual const std::string& url() const noexcept;

protected:
    HttpSession();  // a transport of another kind (tests, fuzzing): no connection of its own

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cwmp::session
