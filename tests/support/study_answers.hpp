#pragma once
// Answering a study session in tests: whatever is on screen, right or wrong.
#include "app/study_session.hpp"
#include "core/fsrs.hpp"
#include "core/model.hpp"
#include "answers.hpp"

namespace certdrill::testing {

// Answers the item on screen: a question right or wrong (then moves on past its feedback), a
// flashcard Good or Again. Returns its card.
inline const Card& answer_shown(app::StudySession& session, bool right) {
    const app::ShownItem& item = *session.current();
    const Card& card = *item.card;
    if (card.is_question()) {
        session.answer(right ? right_answer(item) : wrong_answer(item));
        session.advance();
    } else {
        session.grade_flashcard(right ? fsrs::Rating::Good : fsrs::Rating::Again);
    }
    return card;
}

}  // namespace certdrill::testing
