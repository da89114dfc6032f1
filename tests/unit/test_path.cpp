// ACS paths into dispatch-table templates and instance keys.
#include <doctest/doctest.h>

#include "cwmp/dm/path.h"

using namespace cwmp::dm;

TEST_CASE("full names, partial paths and the root") {
    auto p = parse_path("Device.IP.Interface.3.IPv4Address.12.IPAddress", false);
    REQUIRE(p);
    CHECK(p->template_path == "Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress");
    REQUIRE(p->keys.size() == 2);
    CHECK(p->keys[0].number == 3);
    CHECK(p->keys[1].number == 12);
    CHECK_FALSE(p->partial);

    auto q = parse_path("Device.IP.Interface.3.", false);
    REQUIRE(q);
    CHECK(q->template_path == "Device.IP.Interface.{i}.");
    CHECK(q->partial);

    auto root = parse_path("", false);
    REQUIRE(root);
    CHECK(root->partial);
    CHECK(root->template_path.empty());

    auto vendor = parse_path("Device.DeviceInfo.X_RDKCENTRAL-COM_BootTime", false);
    REQUIRE(vendor);
    CHECK(vendor->template_path == "Device.DeviceInfo.X_RDKCENTRAL-COM_BootTime");
}

TEST_CASE("alias-based addressing only when enabled") {
    std::string why;
    CHECK_FALSE(parse_path("Device.IP.Interface.[wan].Enable", false, &why));
    CHECK(why.find("not enabled") != std::string::npos);
    auto p = parse_path("Device.IP.Interface.[wan].Enable", true);
    REQUIRE(p);
    CHECK(p->template_path == "Device.IP.Interface.{i}.Enable");
    CHECK(p->keys[0].alias == "wan");
    CHECK(p->keys[0].number == 0);
    CHECK_FALSE(parse_path("Device.IP.Interface.[1wan].Enable", true));  // starts with a digit
    CHECK_FALSE(parse_path("Device.IP.Interface.[].Enable", true));
}

TEST_CASE("what is not a name is refused") {
    for (const char* bad : {".", "Device..IP", "Device.IP.Interface.0.", "Device.IP.Interface.01.",
                            "Device.IP.Interface.4294967296.", "Device.IP.Interface.3a.",
                            "1.Device", "Device.IP Interface", "Device.IP.Inter$face", "Device.*.",
                            "Device.IP.Interface.99999999999."}) {
        CHECK_MESSAGE(!parse_path(bad, true), bad);
    }
    auto max = parse_path("Device.IP.Interface.4294967295.", false);
    REQUIRE(max);
    CHECK(max->keys[0].number == 4294967295u);
}
