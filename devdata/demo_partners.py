"""The demo's records with the partners other than Bialystok: a mixin of RecordGenerator.

The stays follow what the seed text says of each partner (visiting professors in Almaty, the
sandwich PhD model with Karolinska Institute, joint research in Smolensk, the olympiads in
Moscow and Saratov) and the smaller partners' staff exchange.
"""

import datetime

from devdata.drafts import DEPARTMENT, DEPARTMENT_NAMES, RecordDraft, person_name
from exchanges.choices import Purpose
from partners.choices import Direction, MobilityType
from people.choices import Category


class OtherPartnerRecords:
    """Needs the generator's rng, today, day_in, stay, years and add."""

    def kazakhstan(self) -> None:
        rng = self.rng
        for year in self.years(2014):
            for _ in range(rng.randint(2, 4)):
                start = self.day_in(year, 2, 11)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng),
                        category=Category.ACADEMIC_STAFF,
                        direction=Direction.OUTGOING,
                        purpose=Purpose.TEACHING,
                        mobility_type=MobilityType.VISITING_PROFESSOR,
                        start_date=start,
                        end_date=self.stay(start, 7, 14),
                        country="KZ",
                        department=rng.choice(DEPARTMENT_NAMES),
                        partner="kazakh-national-medical-university",
                        agreement="BSMU-KAZNMU-2013",
                        report_activities="Lectures and workshops for students and staff; "
                        "development of a joint educational program.",
                    )
                )
            if year >= 2016:
                for _ in range(rng.randint(0, 2)):
                    incoming = rng.random() < 0.5
                    start = self.day_in(year)
                    self.add(
                        RecordDraft(
                            full_name=person_name(rng, "KZ" if incoming else "BY"),
                            category=rng.choice([Category.PHD_STUDENT, Category.YOUNG_SCIENTIST]),
                            direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                            purpose=Purpose.RESEARCH,
                            mobility_type=MobilityType.RESEARCH,
                            start_date=start,
                            end_date=self.stay(start, 14, 45),
                            country="KZ",
                            department=DEPARTMENT["pharmacology"],
                            partner="kazakh-national-medical-university",
                            agreement="BSMU-KAZNMU-2013",
                            program="kaznmu-joint-phd-projects",
                            home_institution="Kazakh National Medical University"
                            if incoming
                            else "",
                        )
                    )

    def karolinska(self) -> None:
        rng = self.rng
        for year in range(2015, self.today.year):
            for _ in range(rng.randint(1, 2)):
                start = self.day_in(year, 1, 9)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng),
                        category=rng.choice([Category.PHD_STUDENT, Category.YOUNG_SCIENTIST]),
                        direction=Direction.OUTGOING,
                        purpose=Purpose.RESEARCH,
                        mobility_type=MobilityType.RESEARCH,
                        start_date=start,
                        end_date=self.stay(start, 90, 180),
                        country="SE",
                        department=rng.choice(
                            [
                                DEPARTMENT["pathology"],
                                DEPARTMENT["biology"],
                                DEPARTMENT["infectious"],
                            ]
                        ),
                        partner="karolinska-institute",
                        agreement="BSMU-KI-2014",
                        funding="grant",
                    )
                )
            if rng.random() < 0.6:
                start = self.day_in(year)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng, "SE"),
                        category=Category.ACADEMIC_STAFF,
                        direction=Direction.INCOMING,
                        purpose=Purpose.TEACHING,
                        mobility_type=MobilityType.HE_STA,
                        start_date=start,
                        end_date=self.stay(start, 3, 5),
                        country="SE",
                        department=DEPARTMENT["pathology"],
                        partner="karolinska-institute",
                        agreement="BSMU-KI-2014",
                        home_institution="Karolinska Institute",
                    )
                )
        self._karolinska_sandwich_now()

    def _karolinska_sandwich_now(self) -> None:
        """The two PhD students of this year's sandwich program, abroad right now."""
        rng = self.rng
        for _ in range(2):
            start = self.today - datetime.timedelta(days=30)
            self.add(
                RecordDraft(
                    full_name=person_name(rng),
                    category=Category.PHD_STUDENT,
                    direction=Direction.OUTGOING,
                    purpose=Purpose.RESEARCH,
                    mobility_type=MobilityType.RESEARCH,
                    start_date=start,
                    end_date=self.today + datetime.timedelta(days=60),
                    country="SE",
                    department=DEPARTMENT["pathology"],
                    partner="karolinska-institute",
                    agreement="BSMU-KI-2014",
                    program="karolinska-sandwich-phd",
                    funding="grant",
                )
            )

    def smolensk(self) -> None:
        rng = self.rng
        for year in self.years(2008):
            for _ in range(rng.randint(1, 3)):
                incoming = rng.random() < 0.4
                start = self.day_in(year)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng, "RU" if incoming else "BY"),
                        category=rng.choice([Category.ACADEMIC_STAFF, Category.YOUNG_SCIENTIST]),
                        direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                        purpose=Purpose.RESEARCH,
                        mobility_type=MobilityType.RESEARCH,
                        start_date=start,
                        end_date=self.stay(start, 5, 21),
                        country="RU",
                        department=DEPARTMENT["infectious"],
                        partner="institute-of-antimicrobial-chemotherapy",
                        agreement="BSMU-SSMA-2008",
                        home_institution="Institute of Antimicrobial Chemotherapy"
                        if incoming
                        else "",
                    )
                )

    def moscow_dentistry(self) -> None:
        rng = self.rng
        msmdu = "moscow-state-medical-and-dental-university"
        for year in self.years(2011):
            # The olympiad and the "Dental Brain-Ring", every autumn.
            start = datetime.date(year, 11, rng.randint(10, 20))
            for _ in range(rng.randint(4, 6)):
                self.add(
                    RecordDraft(
                        full_name=person_name(rng),
                        category=rng.choices(
                            [Category.UNDERGRADUATE, Category.RESIDENT], weights=[3, 1]
                        )[0],
                        direction=Direction.OUTGOING,
                        purpose=Purpose.COMPETITION,
                        mobility_type=MobilityType.CONFERENCE,
                        start_date=start,
                        end_date=start + datetime.timedelta(days=3),
                        country="RU",
                        department=DEPARTMENT["pediatric-dentistry"],
                        partner=msmdu,
                        agreement="BSMU-MSMDU-2010",
                    )
                )
            if year >= 2015:
                for _ in range(rng.randint(0, 2)):
                    incoming = rng.random() < 0.5
                    start = self.day_in(year)
                    self.add(
                        RecordDraft(
                            full_name=person_name(rng, "RU" if incoming else "BY"),
                            category=Category.ACADEMIC_STAFF,
                            direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                            purpose=Purpose.RESEARCH,
                            mobility_type=MobilityType.RESEARCH,
                            start_date=start,
                            end_date=self.stay(start, 5, 10),
                            country="RU",
                            department=DEPARTMENT["prosthetic-dentistry"],
                            partner=msmdu,
                            agreement="BSMU-MSMDU-2010",
                            program="msmdu-mathematical-modelling-in-dentistry",
                            home_institution="Moscow State Medical and Dental University"
                            if incoming
                            else "",
                        )
                    )

    def saratov_olympiad(self) -> None:
        for _ in range(5):
            self.add(
                RecordDraft(
                    full_name=person_name(self.rng),
                    category=Category.UNDERGRADUATE,
                    direction=Direction.OUTGOING,
                    purpose=Purpose.COMPETITION,
                    mobility_type=MobilityType.CONFERENCE,
                    start_date=datetime.date(2012, 4, 17),
                    end_date=datetime.date(2012, 4, 20),
                    country="RU",
                    department=DEPARTMENT["internal-3"],
                    partner="saratov-state-medical-university",
                    agreement="BSMU-SSMU-2011",
                    program="saratov-therapy-olympiad-2012",
                    report_activities="Team competition in internal medicine.",
                )
            )

    def other_partners(self) -> None:
        rng = self.rng
        plan = [
            # partner, agreement, first year, last year, nationality, country, department
            ("daad", "BSMU-DAAD-2015", 2015, self.today.year, "BY", "DE", None),
            (
                "poznan-university-of-medical-sciences",
                "BSMU-PUMS-2016",
                2016,
                self.today.year,
                "PL",
                "PL",
                DEPARTMENT["general-surgery"],
            ),
            ("sechenov-university", "BSMU-SECHENOV-2017", 2017, self.today.year, "RU", "RU", None),
            ("riga-stradins-university", "BSMU-RSU-2019", 2019, self.today.year, "BY", "LV", None),
            (
                "medical-university-of-lublin",
                "BSMU-UML-2012",
                2012,
                2018,
                "PL",
                "PL",
                DEPARTMENT["obstetrics"],
            ),
        ]
        for partner, agreement, first, last, nationality, country, department in plan:
            for year in range(first, last + 1):
                for _ in range(rng.randint(1, 3)):
                    incoming = nationality != "BY" and rng.random() < 0.4
                    research = partner == "daad"
                    start = self.day_in(year)
                    self.add(
                        RecordDraft(
                            full_name=person_name(rng, nationality if incoming else "BY"),
                            category=Category.YOUNG_SCIENTIST
                            if research
                            else Category.ACADEMIC_STAFF,
                            direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                            purpose=Purpose.RESEARCH if research else Purpose.TRAINING,
                            mobility_type=MobilityType.RESEARCH
                            if research
                            else MobilityType.HE_STT,
                            start_date=start,
                            end_date=self.stay(start, *((30, 90) if research else (5, 12))),
                            country=country,
                            department=department or rng.choice(DEPARTMENT_NAMES),
                            partner=partner,
                            agreement=agreement,
                            funding="daad" if research else "host",
                        )
                    )
