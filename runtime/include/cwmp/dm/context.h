// What a platform function is called with: the board it runs on.
#pragma once

namespace cwmp::platform {

// A device's platform code derives its board state from this; the daemon
// owns one and hands it to the engine, so nothing is global.
class Board {
public:
    virtual ~Board() = default;
};

}  // namespace cwmp::platform

namespace cwmp::dm {

class Context {
public:
    explicit Context(platform::Board& board) noexcept : board_(board) {}
    platform::Board& board() const noexcept { return board_; }

    template <class B>
    B& board_as() const {
        return dynamic_cast<B&>(board_);
    }

private:
    platform::Board& board_;
};

}  // namespace cwmp::dm
