// The Linux board's readers: kernel text files and netlink messages parsed
// from fixtures, garbage that must never throw, stable instance numbers.
#include <doctest/doctest.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <random>
#include <span>
#include <vector>

#include "netlink.h"
#include "numbering.h"
#include "readers.h"

using namespace cwmp::linux_board;

TEST_CASE("meminfo: values by key, garbage lines skipped") {
    const auto m = parse_meminfo("MemTotal:       16314204 kB\nMemFree:  123 kB\nbogus line\n:12\nMemAvailable: x\n");
    CHECK(m.at("MemTotal") == 16314204);
    CHECK(m.at("MemFree") == 123);
    CHECK(m.count("MemAvailable") == 0);
    CHECK(m.size() == 2);
}

TEST_CASE("/proc/stat: busy and total jiffies; usage between two samples") {
    const auto a = parse_cpu_times("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n");
    REQUIRE(a);
    CHECK(a->total == 1000);
    CHECK(a->busy == 150);
    const auto b = parse_cpu_times("cpu  200 0 100 850 50 0 0 0 0 0\n");
    REQUIRE(b);
    CHECK(cpu_usage(*a, *b) == 75);  // 150 busy of 200
    CHECK(cpu_usage(*b, *a) == 0);   // backwards: no time passed
    CHECK_FALSE(parse_cpu_times("cpu0 1 2 3 4\n"));
    CHECK_FALSE(parse_cpu_times("cpu  1 2 x 4\n"));
}

TEST_CASE("/proc/<pid>/stat: a command with blanks and parentheses") {
    const std::string line =
        "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 125 0 0 20 0 1 0 100 10485760 512 "
        "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    const auto p = parse_process_stat(line);
    REQUIRE(p);
    CHECK(p->pid == 4242);
    CHECK(p->comm == "my (odd) cmd");
    CHECK(p->state == 'S');
    CHECK(p->utime == 250);
    CHECK(p->stime == 125);
    CHECK(p->priority == 20);
    CHECK(p->vsize == 10485760);
    CHECK(p->rss_pages == 512);
    CHECK_FALSE(parse_process_stat("4242 (short) S 1 2 3\n"));
    CHECK_FALSE(parse_process_stat("0 (zero) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n"));
    CHECK_FALSE(parse_process_stat("no parentheses"));
}

TEST_CASE("os-release: shell quoting undone") {
    const auto o = parse_os_release(
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID='12'\n# comment\nBUILD_ID=a\\\"b\nBROKEN\n");
    CHECK(o.at("PRETTY_NAME") == "Debian GNU/Linux 12 (bookworm)");
    CHECK(o.at("VERSION_ID") == "12");
    CHECK(o.at("BUILD_ID") == "a\"b");
    CHECK(o.count("BROKEN") == 0);
}

TEST_CASE("resolv.conf: nameservers in order, comments and other lines ignored") {
    const auto s = parse_resolv_conf(
        "# generated\nsearch example.net\nnameserver 192.0.2.53\nnameserver   2001:db8::53 # v6\n;nameserver 1.1.1.1\n"
        "nameserver\noptions ndots:2\n");
    CHECK(s == std::vector<std::string>{"192.0.2.53", "2001:db8::53"});
}

TEST_CASE("NTP configuration: timesyncd lists (append, reset, fallback), chrony sources") {
    CHECK(parse_timesyncd_conf("[Time]\nNTP=a.example b.example\n#NTP=x\n") ==
          std::vector<std::string>{"a.example", "b.example"});
    CHECK(parse_timesyncd_conf("[Time]\nNTP=a\nNTP=\nNTP=c\n") == std::vector<std::string>{"c"});
    CHECK(parse_timesyncd_conf("[Time]\n#NTP=\nFallbackNTP=0.debian.pool.ntp.org 1.debian.pool.ntp.org\n") ==
          std::vector<std::string>{"0.debian.pool.ntp.org", "1.debian.pool.ntp.org"});
    CHECK(parse_timesyncd_conf("[Other]\nNTP=a\n").empty());
    CHECK(parse_chrony_conf("pool 2.debian.pool.ntp.org iburst\n# server x\nserver 192.0.2.123 iburst  # lab\n"
                            "makestep 1 3\nserver\n") ==
          std::vector<std::string>{"2.debian.pool.ntp.org", "192.0.2.123"});
}

TEST_CASE("mountinfo: escapes, optional fields, the separator") {
    const auto m = parse_mountinfo(
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "40 22 7:3 / /mnt/my\\040disk rw shared:5 master:2 - vfat /dev/loop3 rw\n"
        "41 22 0:5 / /proc rw - proc proc rw\n"
        "garbage\n"
        "42 22 x:y / /bad rw - ext4 /dev/sdb rw\n"
        "43 22 8:2 / /nofs rw\n");
    REQUIRE(m.size() == 3);
    CHECK(m[0].major == 8);
    CHECK(m[0].minor == 1);
    CHECK(m[0].mount_point == "/");
    CHECK(m[0].fs_type == "ext4");
    CHECK(m[0].source == "/dev/sda1");
    CHECK(m[1].mount_point == "/mnt/my disk");
    CHECK(m[1].fs_type == "vfat");
    CHECK(m[1].source == "/dev/loop3");
    CHECK(m[2].major == 0);
}

TEST_CASE("TZif: the POSIX TZ footer of a version 2+ file") {
    std::string berlin = try_read_file("/usr/share/zoneinfo/Europe/Berlin").value_or("");
    if (!berlin.empty()) CHECK(tzif_footer(berlin).value_or("") == "CET-1CEST,M3.5.0,M10.5.0/3");
    std::string v2(44, '\0');
    v2.replace(0, 5, "TZif2");
    CHECK(tzif_footer(v2 + "\nUTC0\n").value_or("") == "UTC0");
    std::string v1 = v2;
    v1[4] = '\0';
    CHECK_FALSE(tzif_footer(v1 + "\nUTC0\n"));
    CHECK_FALSE(tzif_footer("not a zone file\nUTC0\n"));
    CHECK_FALSE(tzif_footer(v2 + "\nUTC0"));  // no final newline
}

TEST_CASE("files: a missing one names its path") {
    try {
        (void)read_file("/nonexistent-linux-board/meminfo");
        FAIL("no exception");
    } catch (const KernelFileError& e) {
        CHECK(e.path() == "/nonexistent-linux-board/meminfo");
        CHECK(std::string(e.what()).find("No such file") != std::string::npos);
    }
    CHECK_FALSE(try_read_file("/nonexistent-linux-board/x"));
    CHECK(list_dir("/nonexistent-linux-board").empty());
}

namespace {

// A netlink message built the way the kernel sends it.
struct Msg {
    alignas(nlmsghdr) char buf[1024] = {};
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
    Msg() = default;
    Msg(const Msg&) = delete;
    std::span<const char> bytes() const { return {buf, nlh->nlmsg_len}; }
};

void link_message(Msg& m, int index, const char* name, unsigned flags, std::uint8_t oper, std::uint32_t mtu) {
    m.nlh->nlmsg_type = RTM_NEWLINK;
    auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(m.nlh, sizeof(ifinfomsg)));
    ifi->ifi_index = index;
    ifi->ifi_type = ARPHRD_ETHER;
    ifi->ifi_flags = flags;
    mnl_attr_put_strz(m.nlh, IFLA_IFNAME, name);
    mnl_attr_put_u32(m.nlh, IFLA_MTU, mtu);
    mnl_attr_put_u8(m.nlh, IFLA_OPERSTATE, oper);
    const unsigned char mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
    mnl_attr_put(m.nlh, IFLA_ADDRESS, sizeof mac, mac);
    rtnl_link_stats64 s{};
    s.rx_packets = 10;
    s.tx_packets = 20;
    s.rx_bytes = 1000;
    s.tx_bytes = 2000;
    s.multicast = 3;
    s.rx_dropped = 4;
    mnl_attr_put(m.nlh, IFLA_STATS64, sizeof s, &s);
}

}  // namespace

TEST_CASE("netlink: a link message") {
    Msg m;
    link_message(m, 7, "veth0", IFF_UP | IFF_LOWER_UP, IF_OPER_UP, 1500);
    const auto l = parse_link(m.nlh);
    REQUIRE(l);
    CHECK(l->index == 7);
    CHECK(l->name == "veth0");
    CHECK(l->type == ARPHRD_ETHER);
    CHECK(l->mtu == 1500);
    CHECK(l->operstate == IF_OPER_UP);
    CHECK(l->mac == "02:00:5e:10:00:01");
    REQUIRE(l->stats);
    CHECK(l->stats->rx_bytes == 1000);
    CHECK(l->stats->tx_packets == 20);
    CHECK(l->stats->multicast == 3);
    CHECK(l->stats->rx_dropped == 4);
}

TEST_CASE("netlink: address messages (IPv4 local wins over peer, IPv6 lifetimes and flags)") {
    Msg m;
    m.nlh->nlmsg_type = RTM_NEWADDR;
    auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(m.nlh, sizeof(ifaddrmsg)));
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = 24;
    ifa->ifa_index = 7;
    const unsigned char peer[4] = {192, 0, 2, 1}, local[4] = {192, 0, 2, 23};
    mnl_attr_put(m.nlh, IFA_ADDRESS, 4, peer);
    mnl_attr_put(m.nlh, IFA_LOCAL, 4, local);
    auto a = parse_address(m.nlh);
    REQUIRE(a);
    CHECK(a->address == "192.0.2.23");
    CHECK(a->prefix_length == 24);
    CHECK(a->index == 7);

    Msg v6;
    v6.nlh->nlmsg_type = RTM_NEWADDR;
    auto* ifa6 = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(v6.nlh, sizeof(ifaddrmsg)));
    ifa6->ifa_family = AF_INET6;
    ifa6->ifa_prefixlen = 64;
    ifa6->ifa_index = 7;
    unsigned char addr[16] = {0x20, 0x01, 0x0d, 0xb8};
    addr[15] = 1;
    mnl_attr_put(v6.nlh, IFA_ADDRESS, 16, addr);
    mnl_attr_put_u32(v6.nlh, IFA_FLAGS, IFA_F_DEPRECATED | IFA_F_MANAGETEMPADDR);
    ifa_cacheinfo ci{};
    ci.ifa_prefered = 0;
    ci.ifa_valid = 3600;
    mnl_attr_put(v6.nlh, IFA_CACHEINFO, sizeof ci, &ci);
    a = parse_address(v6.nlh);
    REQUIRE(a);
    CHECK(a->address == "2001:db8::1");
    CHECK((a->flags & IFA_F_DEPRECATED) != 0);
    CHECK((a->flags & IFA_F_MANAGETEMPADDR) != 0);  // beyond the 8 bits of ifa_flags
    CHECK(a->preferred == 0);
    CHECK(a->valid == 3600);

    // An address of the wrong length is not taken.
    Msg bad;
    bad.nlh->nlmsg_type = RTM_NEWADDR;
    auto* ifb = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(bad.nlh, sizeof(ifaddrmsg)));
    ifb->ifa_family = AF_INET;
    ifb->ifa_index = 1;
    mnl_attr_put(bad.nlh, IFA_LOCAL, 3, local);
    CHECK_FALSE(parse_address(bad.nlh));
}

TEST_CASE("netlink: truncated and garbage buffers yield only whole messages") {
    Msg m;
    link_message(m, 3, "eth0", IFF_UP, IF_OPER_DOWN, 9000);
    std::vector<char> two(m.bytes().begin(), m.bytes().end());
    const std::size_t one = two.size();
    two.insert(two.end(), m.bytes().begin(), m.bytes().end());
    int n = 0;
    each_message(two, [&](const nlmsghdr* h) { n += parse_link(h).has_value(); });
    CHECK(n == 2);
    for (std::size_t cut = 0; cut < one; cut += 7) {  // every truncation of the second
        n = 0;
        each_message(std::span<const char>(two.data(), one + cut), [&](const nlmsghdr* h) { n += parse_link(h).has_value(); });
        CHECK(n == 1);
    }
    // A header claiming more than the buffer holds, attributes lying about their length.
    std::mt19937 rng(1234);
    for (int round = 0; round < 2000; ++round) {
        std::vector<char> junk(two);
        for (int k = 0; k < 8; ++k) junk[rng() % junk.size()] = static_cast<char>(rng());
        junk.resize(rng() % (junk.size() + 1));
        CHECK_NOTHROW(each_message(junk, [&](const nlmsghdr* h) {
            (void)parse_link(h);
            (void)parse_address(h);
        }));
    }
}

TEST_CASE("parsers: random garbage never throws") {
    std::mt19937 rng(42);
    for (int round = 0; round < 3000; ++round) {
        std::string s(rng() % 300, '\0');
        for (char& c : s) c = static_cast<char>(rng() % 4 == 0 ? "\n ():-\\0T"[rng() % 10] : rng());
        if (round % 3 == 0) s = "TZif2" + s + "\n";
        CHECK_NOTHROW((void)parse_meminfo(s));
        CHECK_NOTHROW((void)parse_cpu_times("cpu " + s));
        CHECK_NOTHROW((void)parse_process_stat(s));
        CHECK_NOTHROW((void)parse_os_release(s));
        CHECK_NOTHROW((void)parse_resolv_conf(s));
        CHECK_NOTHROW((void)parse_mountinfo(s));
        CHECK_NOTHROW((void)tzif_footer(s));
        CHECK_NOTHROW((void)parse_uptime(s));
        CHECK_NOTHROW((void)parse_timesyncd_conf("[Time]\n" + s));
        CHECK_NOTHROW((void)parse_chrony_conf(s));
        Numbers n("", "boot");
        CHECK_NOTHROW(n.parse(s, true));
    }
}

TEST_CASE("numbering: stable for an item's life, never reused") {
    Numbering t;
    CHECK(t.assign({{"1", "lo"}, {"2", "eth0"}}) == std::vector<std::uint32_t>{1, 2});
    CHECK(t.assign({{"2", "eth0"}, {"1", "lo"}, {"5", "veth0"}}) == std::vector<std::uint32_t>{2, 1, 3});
    // veth0 goes; a new interface with the same name (a new ifindex) is another interface.
    CHECK(t.assign({{"1", "lo"}, {"2", "eth0"}}) == std::vector<std::uint32_t>{1, 2});
    CHECK(t.assign({{"1", "lo"}, {"2", "eth0"}, {"6", "veth0"}}) == std::vector<std::uint32_t>{1, 2, 4});
    // Renamed: same ifindex, same number.
    CHECK(t.assign({{"1", "lo"}, {"2", "wan"}, {"6", "veth0"}}) == std::vector<std::uint32_t>{1, 2, 4});
    CHECK(t.changed());
}

TEST_CASE("numbers: saved and loaded; after a reboot matched by name") {
    char tmpl[] = "/tmp/linux-numbers-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    const std::string file = std::string(tmpl) + "/n";
    {
        Numbers n(file, "boot-a");
        CHECK(n.table("Device.IP.Interface.").assign({{"1", "lo"}, {"2", "eth0"}, {"3", "tab\there"}}) ==
              std::vector<std::uint32_t>{1, 2, 3});
        (void)n.table("Device.IP.Interface.").assign({{"1", "lo"}, {"2", "eth0"}});  // 3 retired
        CHECK(n.save().empty());
    }
    {
        Numbers same(file, "boot-a");  // the agent restarted: ifindex still means the same
        CHECK(same.table("Device.IP.Interface.").assign({{"2", "eth0"}, {"9", "new"}}) ==
              std::vector<std::uint32_t>{2, 4});
    }
    {
        Numbers rebooted(file, "boot-b");  // new boot: ifindexes differ, names match
        CHECK(rebooted.table("Device.IP.Interface.").assign({{"4", "eth0"}, {"1", "lo"}, {"7", "x"}}) ==
              std::vector<std::uint32_t>{2, 1, 4});
    }
    {
        Numbers n(file, "boot-b");
        (void)n.table("Device.IP.Interface.1.IPv4Address.").assign({{"192.0.2.1/24", "192.0.2.1/24"}});
        (void)n.table("Device.IP.Interface.2.IPv4Address.").assign({{"192.0.2.2/24", "192.0.2.2/24"}});
        CHECK(n.save().empty());
        n.drop("Device.IP.Interface.", {"Device.IP.Interface.", "Device.IP.Interface.2.IPv4Address."});
        CHECK(n.save().empty());
        CHECK(n.serialize().find("Interface.1.IPv4Address.") == std::string::npos);
        CHECK(n.serialize().find("Interface.2.IPv4Address.") != std::string::npos);
        CHECK(n.serialize().find("\tDevice.IP.Interface.\t") != std::string::npos);
    }
    {
        Numbers n(file, "boot-c");
        n.set_notes({{"since.2", "6 120"}});
        CHECK(n.save().empty());
        CHECK(Numbers(file, "boot-c").notes().at("since.2") == "6 120");  // the same boot: kept
        CHECK(Numbers(file, "boot-d").notes().empty());                    // another: forgotten
    }
    std::remove(file.c_str());
    rmdir(tmpl);
}
