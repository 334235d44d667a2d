#pragma once
// What a user types for an exam or a domain, read the same way by every command and by the
// settings file: exam ids and short names in any case ("CISSP", "cissp", "ISSMP", "cissp-issmp",
// "CISSP-ISSMP"), domain ids in any case or by number ("d7", "D7", "7"; GSLC's "A3" or "3").
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace certdrill::app {

// Where a typed id came from, for error messages: the flag or argument as the help names it,
// and how to give a value there, with ID where the value goes (for an example with a valid id).
struct IdSource {
    std::string_view name;
    std::string_view usage;
};

inline constexpr IdSource kExamOption{"--exam", "--exam ID"};
inline constexpr IdSource kExamArgument{"the exam argument", "certdrill exam ID"};
inline constexpr IdSource kSettingsExam{"\"default_exam\" in the settings file", "\"default_exam\": \"ID\""};
inline constexpr IdSource kDomainOption{"--domain", "--domain ID"};

// The exam whose id or short name is `typed`, ignoring case and the separators ' ', '-', '_';
// nullptr when none.
const Exam* match_exam(const Library& library, std::string_view typed);
// The domain whose id is `typed` (ignoring case) or whose number it is; nullptr when none.
const Domain* match_domain(const Exam& exam, std::string_view typed);

// The same, or a usage error naming `source` and listing the valid values.
const Exam& require_exam(const Library& library, std::string_view typed, IdSource source);
const Domain& require_domain(const Exam& exam, std::string_view typed, IdSource source);

// "cism (CISM), cissp (CISSP), ...": each exam's id, with its short name where that differs.
std::string exam_choices(const Library& library);

}  // namespace certdrill::app
