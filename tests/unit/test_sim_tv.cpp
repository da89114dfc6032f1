// The simulated set-top box's world on its own (platform/sim/tv_*.h): built
// against no profile and no generated type, it holds what the STBService
// bindings only translate, moves with the board's clock and refuses what
// the box cannot do.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>

#include "board.h"
#include "fake_clock.h"
#include "tv_decoders.h"
#include "tv_frontends.h"
#include "tv_outputs.h"
#include "tv_streams.h"

using namespace cwmp::sim;
using test::FakeClock;

namespace {

std::uint32_t lcn(const SimBoard& b, const tv::FrontEnd& fe) {
    const auto t = fe.tuned();
    REQUIRE(t.has_value());
    return tv::channel_at(b, t->channel).lcn;
}

}  // namespace

TEST_CASE("the DVB-T tuner: channel 1 after boot, tuning by number, a scan that takes a minute") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::FrontEnd fe(b, tv::FrontEnd::kTerrestrial, "STB.1.FrontEnd.1.");
    CHECK(lcn(b, fe) == 1);
    CHECK(fe.tuned()->service == 0);  // of BBC One's two transmitters, the one received best
    CHECK(fe.frequency() == 490000);
    CHECK(tv::connect_lcn(b, fe, 3));
    CHECK(lcn(b, fe) == 3);
    CHECK_FALSE(tv::connect_lcn(b, fe, 99));
    CHECK(lcn(b, fe) == 3);

    // The lock follows the board's cycle: locked 30 s, then lost for 10.
    clock.t += 5;
    CHECK(fe.signal().locked);
    clock.t += SimBoard::kLockedFor;
    CHECK_FALSE(fe.signal().locked);

    // A reset service list is empty until a scan started after it has finished.
    tv::reset_service_list(b, fe);
    clock.t += 1;
    CHECK_FALSE(fe.populated());
    CHECK_FALSE(fe.tuned().has_value());
    CHECK(tv::start_scan(b, fe, true));
    clock.t += 30;
    CHECK(fe.scan().running);
    CHECK(fe.scan().progress == 50);
    CHECK_FALSE(fe.populated());
    clock.t += 30;
    CHECK_FALSE(fe.scan().running);
    CHECK(fe.populated());
    CHECK(lcn(b, fe) == 3);

    // The IP front end has no service list of its own, nor an RF input to scan.
    const tv::FrontEnd ip(b, 2, "STB.1.FrontEnd.2.");
    CHECK_FALSE(ip.populated());
    CHECK(ip.signal().locked);
    CHECK_FALSE(tv::start_scan(b, ip, true));
    CHECK_FALSE(ip.scan().running);
    CHECK(tv::start_scan(b, ip, false));
}

TEST_CASE("IPTV: the stream and the IGMP figures zap to the same group") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::Source& iptv = tv::stream_source(1);
    for (int minutes : {0, 9, 10, 25, 31, 600}) {
        clock.t = 1'700'000'000 + minutes * 60;
        CAPTURE(minutes);
        CHECK(iptv.group(b) == tv::live_group(b));
        CHECK(tv::zaps(b) == minutes / 10);
    }
    // Group 1 (the first zap's) was joined once in the first 20 minutes and left at the second zap.
    const tv::GroupCounts g = tv::group_counts(1, 0, 1200);
    CHECK(g.joins == 1);
    CHECK(g.leaves == 1);
}

TEST_CASE("monitoring: the samples add up to the total, for a stream that loses its signal too") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    clock.t += 3600;
    for (std::uint32_t n : {1u, 2u}) {  // IPTV, DVB-T (tuner 1)
        CAPTURE(n);
        const tv::Monitor m = tv::monitor(b, "STB.1.SM.MainStream." + std::to_string(n) + ".", "STB.1.SM.", n);
        REQUIRE(m.sampling.windows.size() == 3600 / tv::kSampleInterval);
        const auto seconds = tv::sample_seconds(m, true);
        const std::uint64_t sum = std::accumulate(seconds.begin(), seconds.end(), std::uint64_t{0});
        CHECK(sum == m.span(m.total(), true).seconds());
        // DVB-T is received only while its tuner is locked: 30 s in every 40.
        CHECK(sum == (n == 1 ? 3600u : 3600u / SimBoard::kLockCycle * SimBoard::kLockedFor));
        const tv::Ts total = tv::ts(m, m.total(), m.span(m.total(), true));
        std::uint64_t received = 0;
        for (const tv::Window& w : m.sampling.windows) received += tv::ts(m, w, m.span(w, true)).received;
        CHECK(received == total.received);
    }
}

TEST_CASE("monitoring: another service type starts the statistics over, a new interval the samples") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::string key = "STB.1.SM.MainStream.1.", sm = "STB.1.SM.";
    clock.t += 3600;
    CHECK(tv::monitor(b, key, sm, 1).span(tv::monitor(b, key, sm, 1).total(), true).seconds() == 3600);
    CHECK(tv::change_main_stream(b, sm, 1, std::nullopt, std::string("PVR")));
    clock.t += 100;
    const tv::Monitor pvr = tv::monitor(b, key, sm, 1);
    CHECK(pvr.src.stream == 3);
    CHECK(pvr.span(pvr.total(), true).seconds() < 100);  // since the change, while tuner 1 was locked
    CHECK(pvr.sampling.windows.size() == 12);
    tv::CollectionChanges interval;
    interval.sample_interval = 60;
    CHECK(tv::change_collection(b, sm, interval));
    clock.t += 130;
    CHECK(tv::monitor(b, key, sm, 1).sampling.windows.size() == 2);
}

TEST_CASE("decoders: the main picture in H.264 HD, PiP in MPEG-2 SD without sound; a disabled one decodes nothing") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::VideoDecoder main(b, 1, "STB.1.VideoDecoder.1."), pip(b, 2, "STB.1.VideoDecoder.2.");
    REQUIRE(main.decoding().has_value());
    CHECK(main.decoding()->standard == "MPEG4Part10");
    CHECK(main.content_aspect_ratio() == "16:9");
    REQUIRE(pip.decoding().has_value());
    CHECK(pip.decoding()->standard == "MPEG2Part2");
    CHECK(pip.content_aspect_ratio() == "4:3");
    const tv::AudioDecoder main_audio(b, 1, "STB.1.AudioDecoder.1."), pip_audio(b, 2, "STB.1.AudioDecoder.2.");
    CHECK(main_audio.standard() == "DOLBY-AC3");
    CHECK(pip_audio.enabled());
    CHECK(pip_audio.standard().empty());  // PiP is shown muted

    b.store("STB.1.VideoDecoder.1.Enable", false);
    b.store("STB.1.AudioDecoder.1.Enable", false);
    CHECK_FALSE(main.decoding().has_value());
    CHECK(main_audio.standard().empty());
    CHECK(pip.decoding().has_value());  // the other decoder goes on
    CHECK_THROWS_AS(tv::VideoDecoder(b, tv::kVideoDecoders + 1, "STB.1.VideoDecoder.3."), std::out_of_range);

    // CA 1 runs the first CA system, DRM 1 the first DRM system; there are no others.
    CHECK(tv::ca_system(1) == tv::kCASystems[0]);
    CHECK(tv::drm_system(1) == "Widevine");
    CHECK_THROWS_AS(tv::drm_system(tv::kDRMs + 1), std::out_of_range);
}

TEST_CASE("audio outputs: S/PDIF muted by the viewer until CancelMute; a level above 100 % changes nothing") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::AudioOutput hdmi(b, 1, "STB.1.AudioOutput.1."), spdif(b, 2, "STB.1.AudioOutput.2.");
    CHECK_FALSE(hdmi.muted());
    CHECK(spdif.muted());
    CHECK(tv::change_audio_output(b, spdif, {.cancel_mute = true}));
    CHECK_FALSE(spdif.muted());
    CHECK(spdif.enabled());

    CHECK(hdmi.level() == 80);
    CHECK(tv::change_audio_output(b, hdmi, {.level = tv::kMaxAudioLevel}));
    CHECK(hdmi.level() == 100);
    CHECK_FALSE(tv::change_audio_output(b, hdmi, {.enable = false, .level = 101}));
    CHECK(hdmi.level() == 100);
    CHECK(hdmi.enabled());  // the refused request's other change is not made either
    CHECK(hdmi.format() == "HDMI");
    CHECK(tv::change_audio_output(b, hdmi, {.enable = false}));
    CHECK(hdmi.format().empty());  // a disabled output carries nothing
}

TEST_CASE("the video output: colour bar off at boot, 16:9 letterboxed on a 4:3 display, only formats it can send") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::VideoOutput out(b, 1, "STB.1.VideoOutput.1.");
    CHECK_FALSE(out.colorbar());
    CHECK(out.display_format() == "16:9");
    CHECK_FALSE(out.letterboxed());
    CHECK(out.video_format() == "HDMI");
    CHECK(out.hdcp());

    CHECK(tv::change_video_output(b, out, {.colorbar = true, .display_format = "4:3"}));
    CHECK(out.colorbar());
    CHECK(out.letterboxed());
    CHECK_FALSE(tv::change_video_output(b, out, {.colorbar = false, .display_format = "21:9"}));
    CHECK_FALSE(tv::change_video_output(b, out, {.colorbar = false, .video_format = "CVBS"}));  // no composite
    CHECK(out.colorbar());
    CHECK(out.display_format() == "4:3");
    CHECK(tv::change_video_output(b, out, {.video_format = "DVI"}));
    CHECK(out.video_format() == "DVI");
    CHECK(tv::change_video_output(b, out, {.enable = false}));
    CHECK(out.video_format().empty());
    CHECK_FALSE(out.hdcp());
}

TEST_CASE("HDMI: Auto follows the TV's preferred resolution, Manual the ACS's choice among those the box can send") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::HDMI hdmi(b, 1, "STB.1.HDMI.1.");
    const tv::Display& display = hdmi.display();
    CHECK(display.preferred == "1920x1080p/50Hz");
    for (std::string_view r : display.resolutions) {  // the TV shows nothing the box cannot send
        CAPTURE(r);
        CHECK(std::find(tv::kHDMIResolutions.begin(), tv::kHDMIResolutions.end(), r) != tv::kHDMIResolutions.end());
    }
    CHECK_FALSE(hdmi.manual());
    CHECK(hdmi.resolution() == display.preferred);

    // Kept in Auto mode, in effect once Manual.
    CHECK(tv::change_hdmi(b, hdmi, {.resolution = "1280x720p/50Hz"}));
    CHECK(hdmi.resolution() == display.preferred);
    CHECK(tv::change_hdmi(b, hdmi, {.manual = true}));
    CHECK(hdmi.resolution() == "1280x720p/50Hz");
    CHECK_FALSE(tv::change_hdmi(b, hdmi, {.manual = false, .resolution = "3840x2160p/50Hz"}));  // no UHD
    CHECK(hdmi.manual());
    CHECK(hdmi.resolution() == "1280x720p/50Hz");
    CHECK(tv::change_hdmi(b, hdmi, {.manual = false}));
    CHECK(hdmi.resolution() == display.preferred);
}

TEST_CASE("monitoring: the collection within the box's limits, or not changed at all") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::string sm = "STB.1.SM.";
    auto refused = [&](tv::CollectionChanges c) {
        c.sample_enable = false;  // would be made with an acceptable request
        return !tv::change_collection(b, sm, c) && tv::sampling(b, sm).interval == tv::kSampleInterval &&
               b.setting(sm + "SampleEnable", true);
    };
    CHECK(refused({.sample_interval = tv::kMinSampleInterval - 1}));
    CHECK(refused({.report_samples = 0}));
    CHECK(refused({.report_samples = tv::kMaxReportSamples + 1}));
    CHECK(refused({.events_per_sample = 0}));
    CHECK(refused({.events_per_sample = tv::kMaxEventsPerSampleInterval + 1}));
    CHECK(tv::change_collection(b, sm,
                                {.sample_interval = tv::kMinSampleInterval,
                                 .report_samples = tv::kMaxReportSamples,
                                 .events_per_sample = tv::kMaxEventsPerSampleInterval}));
    CHECK(tv::sampling(b, sm).interval == tv::kMinSampleInterval);
}

TEST_CASE("monitoring: an AV stream contributes to one enabled main stream only") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::string sm = "STB.1.SM.";
    auto settings = [&](std::uint32_t n) { return tv::main_stream_settings(b, tv::main_stream_key(sm, n), n); };
    REQUIRE(settings(1).service_type == "IPTV");
    REQUIRE(settings(2).service_type == "DTT");
    // IP-All is the IPTV stream too; the refused request's other change is not made either.
    CHECK_FALSE(tv::change_main_stream(b, sm, 2, std::nullopt, std::string("IPTV")));
    CHECK_FALSE(tv::change_main_stream(b, sm, 2, true, std::string("IP-All")));
    CHECK(settings(2).service_type == "DTT");
    CHECK(tv::change_main_stream(b, sm, 2, std::nullopt, std::string("PVR")));
    CHECK_FALSE(tv::change_main_stream(b, sm, 1, std::nullopt, std::string("PVR")));
    CHECK(tv::change_main_stream(b, sm, 1, std::nullopt, std::string("IP-All")));  // its own stream still
    CHECK(tv::change_main_stream(b, sm, 1, std::nullopt, std::string("VoD")));     // no stream: no session
    CHECK(tv::change_main_stream(b, sm, 2, std::nullopt, std::string("IPTV")));

    // A disabled main stream contributes nothing: it may name a monitored
    // stream, but not be enabled while the other monitors it.
    CHECK(tv::change_main_stream(b, sm, 1, false, std::string("IPTV")));
    CHECK_FALSE(tv::change_main_stream(b, sm, 1, true, std::nullopt));
    CHECK_FALSE(settings(1).enable);
    CHECK(tv::change_main_stream(b, sm, 2, false, std::nullopt));
    CHECK(tv::change_main_stream(b, sm, 1, true, std::nullopt));
    CHECK_FALSE(tv::change_main_stream(b, sm, 2, true, std::nullopt));
    CHECK(tv::change_main_stream(b, sm, 2, true, std::string("DTT")));
}

TEST_CASE("the box: a stream stops with the box or its front end, errs while its tuner is unlocked") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::Box box(b, "STB.1.");
    clock.t += 5;  // tuner 1 locked
    CHECK(box.stream_state(1) == tv::StreamState::Enabled);
    CHECK(box.stream_state(2) == tv::StreamState::Enabled);
    CHECK(box.active_streams() == tv::kStreams);
    CHECK(box.stream_name(1) == tv::kGroupChannels[0]);
    CHECK(box.stream_name(2) == "BBC ONE Lon");
    CHECK(box.stream_name(3) == "Recording: BBC ONE Lon");
    CHECK(tv::connect_lcn(b, box.frontend(1), 3));
    CHECK(box.stream_name(2) == "ITV1");
    clock.t += tv::kZapSeconds;
    CHECK(box.stream_name(1) == tv::kGroupChannels[1]);  // IPTV zapped

    clock.t += SimBoard::kLockedFor;  // tuner 1 unlocked: the DVB-T streams err, IPTV goes on
    CHECK(box.stream_state(1) == tv::StreamState::Enabled);
    CHECK(box.stream_state(2) == tv::StreamState::Error);
    CHECK(box.stream_state(3) == tv::StreamState::Error);
    CHECK(box.active_streams() == tv::kStreams);  // in error, not disabled

    b.store("STB.1.Components.FrontEnd.2.Enable", false);
    CHECK(box.stream_state(1) == tv::StreamState::Disabled);
    CHECK(box.active_streams() == 2);
    b.store("STB.1.Components.FrontEnd.2.Enable", true);
    b.store("STB.1.Enable", false);
    CHECK(box.active_streams() == 0);
}

TEST_CASE("the box: a player plays while enabled with a live main stream; subtitles while it plays, if preferred") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::Box box(b, "STB.1.");
    CHECK(box.playing(1));
    CHECK_FALSE(box.playing(2));  // PVR playback: idle, no main stream
    CHECK_FALSE(box.playing(4));  // mosaic preview: disabled
    CHECK(box.active_players() == 1);
    CHECK(box.audio_language(1) == "en");
    CHECK(box.audio_language(2).empty());
    CHECK(box.subtitles(1).empty());  // none preferred

    b.store("STB.1.AVPlayers.PreferredSubtitlingLanguage", std::string("fr"));
    b.store("STB.1.AVPlayers.PreferredAudioLanguage", std::string());
    CHECK(box.subtitles(1) == "fr");
    CHECK(box.audio_language(1) == "en");  // an empty preference: English
    b.store("STB.1.AVPlayers.PreferredSubtitlingLanguage", std::string("None"));
    CHECK(box.subtitles(1).empty());
    b.store("STB.1.AVPlayers.PreferredSubtitlingLanguage", std::string("fr"));

    b.store("STB.1.Components.FrontEnd.2.Enable", false);  // its main stream (IPTV) stops
    CHECK_FALSE(box.playing(1));
    CHECK(box.subtitles(1).empty());
    CHECK(box.audio_language(1).empty());
    b.store("STB.1.Components.FrontEnd.2.Enable", true);
    b.store("STB.1.AVPlayers.AVPlayer.1.Enable", false);
    CHECK_FALSE(box.playing(1));
    CHECK(box.active_players() == 0);

    tv::reset_pin(b, box);
    CHECK(b.setting<std::string>("STB.1.AVPlayers.PINCode", "") == "0000");
}

TEST_CASE("monitoring: high-level metrics are measured on the IP stream only, against their thresholds") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::string sm = "STB.1.SM.";
    clock.t += 3600;
    const tv::Monitor iptv = tv::monitor(b, tv::main_stream_key(sm, 1), sm, 1);
    const tv::Monitor dtt = tv::monitor(b, tv::main_stream_key(sm, 2), sm, 2);
    const std::string key = tv::main_stream_key(sm, 1) + "Sample.HighLevelMetricStats.1.";
    const tv::Metric mdi(iptv, 1, key);
    CHECK(mdi.name() == "MDI-DF");
    CHECK(mdi.measured());
    CHECK_FALSE(tv::Metric(dtt, 1, tv::main_stream_key(sm, 2) + "Sample.HighLevelMetricStats.1.").measured());
    CHECK_THROWS_AS(tv::Metric(iptv, tv::kMetricNames.size() + 1, key), std::out_of_range);

    const auto scores = mdi.scores(0);
    REQUIRE(scores.size() == 3600 / tv::kSampleInterval);
    CHECK(mdi.scores(1) == scores);  // Metric1 is Metric
    CHECK(mdi.scores(2) != scores);  // Metric2 another
    CHECK(mdi.failures(0) == 0);     // threshold 0 until the ACS says
    b.store(key + "MetricThreshold", *std::max_element(scores.begin(), scores.end()));
    CHECK(mdi.failures(0) == scores.size());
    CHECK(mdi.failures(1) == 0);  // each figure its own threshold
    b.store(key + "Enable", false);
    CHECK_FALSE(mdi.measured());
    CHECK(mdi.failures(0) == 0);

    // MetricSampleInterval: at most the monitoring's SampleInterval, never 0.
    CHECK_FALSE(tv::metric_interval_allowed(b, sm, 0));
    CHECK(tv::metric_interval_allowed(b, sm, tv::kSampleInterval));
    CHECK_FALSE(tv::metric_interval_allowed(b, sm, tv::kSampleInterval + 1));
    tv::CollectionChanges longer;
    longer.sample_interval = 2 * tv::kSampleInterval;
    CHECK(tv::change_collection(b, sm, longer));
    CHECK(tv::metric_interval_allowed(b, sm, tv::kSampleInterval + 1));
}

TEST_CASE("the IP front end's streams: live TV on the group zapped to, VoD and the home stream while they run") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const tv::FrontEnd tuner(b, tv::FrontEnd::kTerrestrial, "STB.1.FrontEnd.1."), ip(b, 2, "STB.1.FrontEnd.2.");
    CHECK(tuner.inbound_count() == 0);
    CHECK(tuner.outbound_count() == 0);
    CHECK(tuner.service_uri().empty());
    CHECK_THROWS_AS(tuner.inbound(1), std::out_of_range);
    REQUIRE(ip.inbound_count() == 2);
    REQUIRE(ip.outbound_count() == 1);

    // The first quarter hour: live TV on group 0, no VoD, no home-network client yet.
    CHECK(ip.inbound(1).active);
    CHECK(ip.inbound(1).destination_address == tv::kGroups[0]);
    CHECK(ip.inbound(1).transport == "RTP");
    CHECK_FALSE(ip.inbound(2).active);
    CHECK(ip.inbound(2).uri.empty());
    CHECK(ip.active_inbound() == 1);
    CHECK(ip.active_outbound() == 0);
    CHECK(ip.service_uri() == tv::group_uri(0) + "?StrCtrl=IGMPv3?StrTrspCtrl=RTCP?MuxType=MPEG2-TS");

    clock.t += 900 + tv::kZapSeconds;  // 25 minutes: VoD downloads, the home client pulls, live TV zapped twice
    CHECK(ip.inbound(1).destination_address == tv::kGroups[2]);
    CHECK(ip.inbound(2).active);
    CHECK(ip.inbound(2).uri == tv::kVodUri);
    CHECK(ip.outbound(1).active);
    CHECK(ip.active_inbound() == 2);
    CHECK(ip.active_outbound() == 1);
    CHECK(ip.service_uri().starts_with(tv::group_uri(2)));

    tv::connect_service(b, ip, "rtp://239.192.10.9:5000");
    CHECK(ip.service_uri() == "rtp://239.192.10.9:5000");
}
