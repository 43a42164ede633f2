// Who may use the control socket: the rule on its own, then real processes under other users
// connecting to a real socket (tests run as root, so a forked child can become anyone).
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <exam/service/control_socket.hpp>
#include <exam/service/service_client.hpp>

#include "support/control_socket.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::ChildAs;
using exam::testing::Identity;
using exam::testing::ServingControlServer;
using nlohmann::json;

constexpr uid_t k_nobody = 65534;
constexpr gid_t k_nogroup = 65534;
constexpr uid_t k_daemon = 1;  // Debian's daemon:x:1:1, whose primary group is daemon (1)
constexpr gid_t k_control_group = 4242;

exam::Caller caller(uid_t uid, gid_t gid, std::string user, std::vector<gid_t> groups = {}) {
    exam::Caller who;
    who.uid = uid;
    who.gid = gid;
    who.user = std::move(user);
    who.groups = std::move(groups);
    return who;
}

TEST(ControlAccess, RootAndTheOwnerMayEvenWithoutTheGroup) {
    const exam::ControlAccess access{k_daemon, std::nullopt, "examkit"};
    EXPECT_TRUE(exam::allowed(access, caller(0, 0, "root")));
    EXPECT_TRUE(exam::allowed(access, caller(k_daemon, k_nogroup, "daemon")));
    EXPECT_FALSE(exam::allowed(access, caller(k_nobody, k_nogroup, "nobody")));
}

TEST(ControlAccess, TheGroupAsPrimaryOrSupplementaryAtConnectLetsIn) {
    const exam::ControlAccess access{k_daemon, k_control_group, "examkit"};
    EXPECT_TRUE(exam::allowed(access, caller(k_nobody, k_control_group, "nobody")));
    EXPECT_TRUE(exam::allowed(access, caller(k_nobody, k_nogroup, "nobody", {7, k_control_group})));
    EXPECT_FALSE(exam::allowed(access, caller(k_nobody, k_nogroup, "nobody", {7, 8})));
}

TEST(ControlAccess, TheAccountDatabaseCountsTooForOneWhoHasNotLoggedInAgain) {
    // daemon's process holds neither group 1 nor any supplementary one, but /etc/passwd gives
    // daemon group 1: added to the group, not yet logged in again.
    const exam::ControlAccess access{0, gid_t{1}, "daemon"};
    EXPECT_TRUE(exam::allowed(access, caller(k_daemon, k_nogroup, "daemon")));
    EXPECT_FALSE(exam::allowed(access, caller(k_nobody, k_nogroup, "nobody")));
}

TEST(ControlAccess, FindsAGroupByNameAndKeepsTheNameOfOneMissing) {
    const exam::ControlAccess root = exam::control_access(k_daemon, "root");
    EXPECT_EQ(root.owner, k_daemon);
    EXPECT_EQ(root.group, gid_t{0});
    const exam::ControlAccess missing = exam::control_access(k_daemon, "examkit-no-such-group");
    EXPECT_FALSE(missing.group.has_value());
    EXPECT_EQ(missing.group_name, "examkit-no-such-group");
}

TEST(ControlAccess, RefusalSaysWhoMayAndHowToJoin) {
    const exam::Caller ivanov = caller(1234, 1234, "ivanov");
    EXPECT_EQ(exam::refusal_message({k_daemon, k_control_group, "examkit"}, ivanov),
              "ivanov is not allowed to control the recording service: only root, daemon and "
              "members of group examkit may; ask the administrator to add you: `adduser ivanov "
              "examkit` (then log in again)");
    const std::string without_group =
        exam::refusal_message({k_daemon, std::nullopt, "examkit"}, ivanov);
    EXPECT_NE(without_group.find("only root and daemon may, because the group \"examkit\""),
              std::string::npos)
        << without_group;
    EXPECT_NE(without_group.find("`addgroup --system examkit`"), std::string::npos);
}

TEST(ControlAccess, DisplayNamesTheLoginBehindRoot) {
    exam::Caller root = caller(0, 0, "root");
    EXPECT_EQ(root.display(), "root");
    root.login = "ivanov";
    EXPECT_EQ(root.display(), "root (login ivanov)");
}

// Real processes under other users. The folder is opened for them to reach the socket; the
// socket itself keeps its own mode.
class ControlAccessAsOtherUsers : public exam::testing::TempDirTest {
protected:
    ControlAccessAsOtherUsers() {
        std::filesystem::permissions(temp.path(), std::filesystem::perms{0755});
    }

    std::filesystem::path socket = temp / "exam-camera.sock";
    std::atomic<int> calls{0};

    exam::ControlHandler who_is_calling() {
        return [this](const exam::Caller& caller, const std::string&, const std::string&,
                      exam::ReplyStream& reply) {
            ++calls;
            reply.finish(json{{"ok", true},
                              {"uid", caller.uid},
                              {"user", caller.user},
                              {"display", caller.display()},
                              {"groups", caller.groups}}
                             .dump());
        };
    }

    // What the child's ask_service gave: the reply, or the error's exit code and message.
    std::function<std::string()> ask() const {
        return [socket = socket] {
            try {
                return exam::ask_service(socket, R"({"v": 1, "command": "status"})");
            } catch (const exam::Error& error) {
                return std::to_string(static_cast<int>(error.exit_code())) + ": " + error.what();
            }
        };
    }
};

TEST_F(ControlAccessAsOtherUsers, OutsiderIsTurnedAwayByTheSocketsModeWithWhatToDo) {
    ChildAs outsider(Identity{k_nobody, k_nogroup, {}, {}}, ask());
    ServingControlServer serving(socket, {k_daemon, k_control_group, "examkit"}, who_is_calling());
    const std::string answer = outsider.run();
    EXPECT_EQ(answer.rfind("77: nobody may not use the recording service", 0), 0U) << answer;
    EXPECT_NE(answer.find("members of group gid 4242"), std::string::npos) << answer;
    EXPECT_NE(answer.find("`adduser nobody gid 4242`"), std::string::npos) << answer;
    EXPECT_EQ(calls, 0);
}

TEST_F(ControlAccessAsOtherUsers, OutsiderThatPassesTheModeIsRefusedByTheService) {
    // No control group on this system: the socket keeps the service user's group (root's
    // here), whose other members pass the file's mode but not the service's own check.
    const exam::ControlAccess access = exam::control_access(k_daemon, "examkit-no-such-group");
    ChildAs outsider(Identity{k_nobody, 0, {}, {}}, ask());
    ServingControlServer serving(socket, access, who_is_calling());
    const std::string answer = outsider.run();
    EXPECT_EQ(answer.rfind("77: nobody is not allowed to control the recording service: only "
                           "root and daemon may",
                           0),
              0U)
        << answer;
    EXPECT_EQ(calls, 0);
}

TEST_F(ControlAccessAsOtherUsers, MemberOfTheGroupBySetgroupsIsLetInAndNamed) {
    ChildAs member(Identity{k_nobody, k_nogroup, {k_control_group}, {}}, ask());
    ServingControlServer serving(socket, {k_daemon, k_control_group, "examkit"}, who_is_calling());
    const std::string answer = member.run();
    const json reply = json::parse(answer);
    EXPECT_EQ(reply["uid"], k_nobody);
    EXPECT_EQ(reply["user"], "nobody");
    EXPECT_EQ(reply["display"], "nobody");
    EXPECT_EQ(reply["groups"], json::array({k_control_group}));
    EXPECT_EQ(calls, 1);
}

TEST_F(ControlAccessAsOtherUsers, MemberByPrimaryGroupIsLetIn) {
    ChildAs member(Identity{k_nobody, k_control_group, {}, {}}, ask());
    ServingControlServer serving(socket, {k_daemon, k_control_group, "examkit"}, who_is_calling());
    EXPECT_EQ(json::parse(member.run())["user"], "nobody");
}

TEST_F(ControlAccessAsOtherUsers, ServiceUserOutsideTheGroupIsToldToJoinIt) {
    const std::filesystem::path data = temp / "data";
    std::filesystem::create_directory(data);
    ASSERT_EQ(::chown(data.c_str(), k_nobody, k_nogroup), 0);
    ChildAs service_user(Identity{k_nobody, k_nogroup, {}, {}}, [&data] {
        try {
            exam::ControlServer server(data / "exam-camera.sock",
                                       {k_nobody, k_control_group, "examkit"},
                                       [](const exam::Caller&, const std::string&,
                                          const std::string&, exam::ReplyStream&) {});
            return std::string{"bound"};
        } catch (const exam::Error& error) {
            return std::to_string(static_cast<int>(error.exit_code())) + ": " + error.what();
        }
    });
    const std::string answer = service_user.run();
    EXPECT_EQ(answer.rfind("74: cannot give the recording service's socket", 0), 0U) << answer;
    EXPECT_NE(answer.find("`adduser nobody examkit`"), std::string::npos) << answer;
}

TEST_F(ControlAccessAsOtherUsers, RootViaSudoIsNamedWithThePersonWhoLoggedIn) {
    ChildAs sudo_root(Identity{0, 0, {}, k_daemon}, [ask = ask()] {
        std::ifstream login("/proc/self/loginuid");
        std::string uid;
        login >> uid;
        return uid == "1" ? ask() : "skip: this kernel keeps /proc/self/loginuid unwritable";
    });
    ServingControlServer serving(socket, {k_daemon, k_control_group, "examkit"}, who_is_calling());
    const std::string answer = sudo_root.run();
    if (answer.rfind("skip:", 0) == 0) {
        GTEST_SKIP() << answer;
    }
    EXPECT_EQ(json::parse(answer)["display"], "root (login daemon)");
}

}  // namespace
