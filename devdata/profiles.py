"""Profiles of generated people: who each one is decides what they may apply to."""

import datetime

from devdata.vocabulary import CATEGORIES, FACULTIES
from people.choices import STUDYING, Category
from people.models import Profile


class Profiles:
    def profiles(self, joined: datetime.datetime):
        """Complete, confirmed profiles: generated people apply as who their profile says."""
        rng = self.profile_rng
        categories, weights = zip(*CATEGORIES, strict=True)
        self.profile_category = {}
        rows = []

        def profile(user_id, category, department_id=None, position=""):
            studying = category in STUDYING
            faculty = rng.choice(FACULTIES) if studying else ""
            year = rng.randint(1, 6) if studying else None
            self.profile_category[user_id] = category
            rows.append(
                (user_id, "", str(category), True, department_id, faculty, year, position, "",
                 joined, joined)
            )  # fmt: skip

        profile(self.office_id, Category.OTHER_STAFF, position="International office")
        for department_id, user_id in self.coordinator_ids.items():
            profile(user_id, Category.ACADEMIC_STAFF, department_id, "Associate professor")
        for user_id in self.applicant_ids:
            if user_id == self.student_id:
                profile(user_id, Category.UNDERGRADUATE)
                continue
            category = rng.choices(categories, weights=weights)[0]
            department_id = None if category in STUDYING else rng.choice(self.department_ids)
            profile(user_id, category, department_id)
        self.writer.write(
            Profile,
            ["user_id", "language", "category", "category_confirmed", "department_id", "faculty",
             "year_of_study", "position", "phone", "created_at", "updated_at"],
            rows, len(rows), "profiles",
        )  # fmt: skip
        # COPY bypasses the receiver that gives each new account its profile: any account of
        # another origin gets an empty one.
        Profile.objects.create_missing()
