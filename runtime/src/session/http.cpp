#include "cwmp/session/http.h"

#include <curl/curl.h>

#include <stdexcept>

namespace cwmp::session {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
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

struct HttpSession::Impl {
    HttpOptions options;
    CurlPtr curl;
    SlistPtr soap_headers = headers({"Content-Type: text/xml; charset=\"utf-8\"", "SOAPAction: \"\"", "Expect:"});
    SlistPtr empty_headers = headers({"Content-Type:", "Expect:"});
    std::string url;
    long redirects = 0;
    char error[CURL_ERROR_SIZE] = {};
};

HttpSession::HttpSession(HttpOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->url = impl_->options.url;
    impl_->curl.reset(curl_easy_init());
    CURL* c = impl_->curl.get();
    if (c == nullptr) throw std::runtime_error("cannot create a libcurl handle");
    const HttpOptions& o = impl_->options;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, impl_->error);
    curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");  // in-memory cookies, for this session only
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
    CURL* c = impl_->curl.get();
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
