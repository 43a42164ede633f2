// The seconds with lost packets become the index's damage rows: consecutive seconds merged,
// a row finished once a whole second passed without loss, or when the connection ends.
#include "recording/damage_seconds.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;

const exam::TimePoint k_noon = exam::TimePoint{std::chrono::hours{24 * 20000 + 12}};

TEST(DamageSeconds, NoLossIsNoRow) {
    exam::DamageSeconds damage{"front", "0101"};
    EXPECT_FALSE(damage.note(0, k_noon));
    EXPECT_FALSE(damage.note(0, k_noon + 5s));
    EXPECT_FALSE(damage.finish());
}

TEST(DamageSeconds, ConsecutiveSecondsAreOneRowFinishedAfterAWholeSecondWithoutLoss) {
    exam::DamageSeconds damage{"front", "0101"};
    EXPECT_FALSE(damage.note(2, k_noon + 300ms));
    EXPECT_FALSE(damage.note(1, k_noon + 1900ms));
    EXPECT_FALSE(damage.note(0, k_noon + 2500ms)) << "second 2 is not over yet";
    const auto row = damage.note(0, k_noon + 3s);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->camera, "front");
    EXPECT_EQ(row->room, "0101");
    EXPECT_EQ(row->started, k_noon);
    EXPECT_EQ(row->ended, k_noon + 2s);
    EXPECT_EQ(row->packets_lost, 3u);
    EXPECT_FALSE(damage.finish()) << "given once";
}

TEST(DamageSeconds, ASecondApartAreTwoRowsAndTheOpenOneEndsWithTheConnection) {
    exam::DamageSeconds damage{"front", "0101"};
    EXPECT_FALSE(damage.note(1, k_noon));
    const auto first = damage.note(4, k_noon + 2100ms);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->ended, k_noon + 1s);
    EXPECT_EQ(first->packets_lost, 1u);
    const auto second = damage.finish();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->started, k_noon + 2s);
    EXPECT_EQ(second->ended, k_noon + 3s);
    EXPECT_EQ(second->packets_lost, 4u);
}

}  // namespace
