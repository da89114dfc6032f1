#include "ftp_control.h"

#include <algorithm>
#include <cctype>

namespace cwmp::diag {

FtpControl::Command FtpControl::command_of(std::string_view line) {
    const std::size_t end = line.find_first_of(" \r\n");
    std::string verb(line.substr(0, end));
    std::transform(verb.begin(), verb.end(), verb.begin(), [](unsigned char c) { return std::toupper(c); });
    if (verb == "USER") return Command::User;
    if (verb == "PASS") return Command::Pass;
    if (verb == "ACCT") return Command::Acct;
    if (verb == "CWD") return Command::Cwd;
    if (verb == "EPSV" || verb == "PASV") return Command::Passive;
    if (verb == "TYPE") return Command::Type;
    if (verb == "SIZE") return Command::Size;
    if (verb == "RETR") return Command::Retr;
    if (verb == "STOR" || verb == "APPE") return Command::Stor;
    return Command::Other;
}

void FtpControl::sent(std::string_view line, Time at) {
    // QUIT closes the connection whatever happened: the step that failed stays the last.
    const std::string_view verb = line.substr(0, 4);
    if (verb.size() == 4 && std::equal(verb.begin(), verb.end(), "QUIT",
                                       [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) == b; }))
        return;
    last_ = command_of(line);
    if (last_ == Command::Passive) passive_pending_ = true;
    // One transfer per connection (the test's): its first RETR / STOR is ROMTime.
    if ((last_ == Command::Retr || last_ == Command::Stor) && transfer_sent_ == Time{}) transfer_sent_ = at;
}

void FtpControl::received(std::string_view text, Time at) {
    partial_.append(text);
    std::size_t eol;
    while ((eol = partial_.find('\n')) != std::string::npos) {
        const std::string_view line(partial_.data(), eol);
        // The last line of a reply: three digits and a space (RFC 959 4.2);
        // "NNN-" opens a multi-line reply, other lines continue one.
        if (line.size() >= 4 && line[3] == ' ' &&
            std::all_of(line.begin(), line.begin() + 3, [](unsigned char c) { return std::isdigit(c); }))
            reply(static_cast<unsigned>((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0')), at);
        partial_.erase(0, eol + 1);
    }
    if (partial_.size() > 4096) partial_.clear();  // no line is that long: not FTP
}

void FtpControl::reply(unsigned code, Time at) {
    replied_ = true;
    const bool transfer = last_ == Command::Retr || last_ == Command::Stor;
    if (!transfer) return;
    if ((code == 125 || code == 150) && ready_ == Time{}) ready_ = at;
    else if ((code == 226 || code == 250) && ready_ != Time{} && complete_ == Time{}) complete_ = at;
}

}  // namespace cwmp::diag
