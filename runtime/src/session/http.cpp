#include "cwmp/session/http.h"

#include <curl/curl.h>

#include <optional>
#include <stdexcept>

namespace cwmp::session {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ShareDeleter {
    void operator()(CURLSH* s) const { curl_share_cleanup(s); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SharePtr = std::unique_ptr<CURLSH, ShareDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

SlistPtr headers(std::initializer_list<const char*> lines) {
    curl_slist* list = nullptr;
    for (const char* l : lines) {
        curl_slist* next = curl_slist_append(list, l);
        if (next == nullptr) {
            curl_slist_free_all(list);
            throw std::bad_alloc();
        }
        list = next;
    }
    return SlistPtr(list);
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
    auto* body = static_cast<std::string*>(user);
    constexpr std::size_t kMaxBody = 8 * 1024 * 1024;  // an ACS message; more is refused
    if (body->size() + size * n > kMaxBody) return 0;  // aborts the transfer
    body->append(data, size * n);
    return size * n;
}

constexpr long kMaxRedirects = 5;  // per session (TR-069 3.4.5)

}  // namespace

struct HttpClient::Impl {
    CurlPtr curl;
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {
    impl_->curl.reset(curl_easy_init());
    if (!impl_->curl) throw std::runtime_error("cannot create a libcurl handle");
}

HttpClient::~HttpClient() = default;

namespace {

// What is the session's own in curl, held apart from the client's handle:
// its connection cache (so that ending the session closes its connection,
// which the handle's own cache would keep open for a next transfer), its
// cookies, DNS answers and TLS sessions.  Leaving it detaches the share
// (curl refuses to free one in use), which closes the connection and drops
// the rest, then resets the handle (options, authentication state), so that
// no credential, header list or body of this session stays set on it and
// the next session starts as on a new handle.
class SessionShare {
public:
    explicit SessionShare(CURL* curl) : curl_(curl), share_(curl_share_init()) {
        if (!share_) throw std::runtime_error("cannot create a libcurl share");
        for (curl_lock_data d : {CURL_LOCK_DATA_CONNECT, CURL_LOCK_DATA_COOKIE, CURL_LOCK_DATA_DNS,
                                 CURL_LOCK_DATA_SSL_SESSION})
            if (curl_share_setopt(share_.get(), CURLSHOPT_SHARE, d) != CURLSHE_OK)
                throw std::runtime_error("cannot set up a libcurl share");
        if (curl_easy_setopt(curl_, CURLOPT_SHARE, share_.get()) != CURLE_OK)
            throw std::runtime_error("cannot attach a libcurl share");
    }
    ~SessionShare() {
        // The cookie files still to read (our "", when no transfer read it:
        // a session that failed early) are the handle's, and a reset keeps
        // them: cleared here, while the jar is still the share's.
        curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, nullptr);
        curl_easy_setopt(curl_, CURLOPT_SHARE, nullptr);
        share_.reset();
        curl_easy_reset(curl_);
    }
    SessionShare(const SessionShare&) = delete;
    SessionShare& operator=(const SessionShare&) = delete;

private:
    CURL* curl_;
    SharePtr share_;
};

}  // namespace

struct HttpSession::Impl {
    HttpOptions options;
    CURL* curl = nullptr;  // the client's, this session's while it lasts
    SlistPtr soap_headers = headers({"Content-Type: text/xml; charset=\"utf-8\"", "SOAPAction: \"\"", "Expect:"});
    SlistPtr empty_headers = headers({"Content-Type:", "Expect:"});
    std::string url;
    long redirects = 0;
    char error[CURL_ERROR_SIZE] = {};
    std::optional<SessionShare> share;  // last member: detached before the headers and buffer go
};

HttpSession::HttpSession(HttpClient& client, HttpOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->url = impl_->options.url;
    impl_->curl = client.impl_->curl.get();
    impl_->share.emplace(impl_->curl);
    CURL* c = impl_->curl;
    const HttpOptions& o = impl_->options;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, impl_->error);
    curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");  // in-memory cookies, in the session's share
    curl_easy_setopt(c, CURLOPT_USERAGENT, o.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(o.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o.timeout.count()));
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));  // a redirected POST stays a POST
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
    if (!o.username.empty() || !o.password.empty()) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC | CURLAUTH_DIGEST));
        curl_easy_setopt(c, CURLOPT_USERNAME, o.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, o.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, o.verify ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, o.verify ? 2L : 0L);
    curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!o.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file.c_str());
    if (!o.client_cert.empty()) {
        curl_easy_setopt(c, CURLOPT_SSLCERT, o.client_cert.c_str());
        curl_easy_setopt(c, CURLOPT_SSLKEY, (o.client_key.empty() ? o.client_cert : o.client_key).c_str());
    }
}

HttpSession::HttpSession() = default;
HttpSession::~HttpSession() = default;

const std::string& HttpSession::url() const noexcept { return impl_->url; }

HttpResponse HttpSession::post(std::string_view body) {
    CURL* c = impl_->curl;
    HttpResponse r;
    impl_->error[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, impl_->url.c_str());
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, kMaxRedirects - impl_->redirects);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, body.empty() ? impl_->empty_headers.get() : impl_->soap_headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    const CURLcode rc = curl_easy_perform(c);
    long redirects = 0;
    curl_easy_getinfo(c, CURLINFO_REDIRECT_COUNT, &redirects);
    impl_->redirects += redirects;
    if (redirects > 0) {
        char* effective = nullptr;
        if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective != nullptr)
            impl_->url = effective;  // the rest of the session goes there
    }
    if (rc != CURLE_OK) {
        // curl's general words for the failure, then its details ("TLS" says which side).
        r.error = curl_easy_strerror(rc);
        if (impl_->error[0] != '\0') r.error += std::string(": ") + impl_->error;
        return r;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    char* type = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) r.content_type = type;
    return r;
}

}  // namespace cwmp::session
