"""Leitner boxes replayed from the answer history, told as a story on a fake clock."""

from datetime import UTC, datetime, timedelta

from quizapp.domain.leitner import INTERVALS, Card, Review, by_box, due, next_due, schedule

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    """The test's time: starts at START and moves only when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def advance(self, *, days: float = 0, hours: float = 0) -> datetime:
        self.now += timedelta(days=days, hours=hours)
        return self.now


class Learner:
    """Answers questions at the clock's time and keeps the history."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.reviews: list[Review] = []

    def miss(self, question_id: str) -> None:
        self.reviews.append(Review(question_id, self.clock.now, correct=False))

    def hit(self, question_id: str) -> None:
        self.reviews.append(Review(question_id, self.clock.now, correct=True))

    def cards(self) -> dict[str, Card]:
        return schedule(self.reviews)

    def card(self, question_id: str) -> Card:
        return self.cards()[question_id]

    def due_ids(self) -> list[str]:
        return [card.question_id for card in due(self.cards(), self.clock.now)]


def test_intervals_are_one_three_seven_fourteen_thirty_days():
    assert [interval.days for interval in INTERVALS] == [1, 3, 7, 14, 30]


def test_a_missed_question_goes_in_box_one_due_a_day_later():
    clock = FakeClock()
    learner = Learner(clock)

    learner.miss("q1")

    card = learner.card("q1")
    assert (card.box, card.misses, card.learned) == (1, 1, False)
    assert card.moved_at == START
    assert card.due_at == START + timedelta(days=1)


def test_a_missed_question_is_not_due_the_same_day_but_is_one_day_later():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")

    clock.advance(hours=23)
    assert learner.due_ids() == []

    clock.advance(hours=1)
    assert learner.due_ids() == ["q1"]


def test_right_answers_when_due_climb_the_boxes_until_learned():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")

    clock.advance(days=1)
    learner.hit("q1")
    assert (learner.card("q1").box, learner.card("q1").due_at) == (2, clock.now + timedelta(3))

    clock.advance(days=2)
    assert learner.due_ids() == []
    clock.advance(days=1)
    assert learner.due_ids() == ["q1"]
    learner.hit("q1")
    assert (learner.card("q1").box, learner.card("q1").due_at) == (3, clock.now + timedelta(7))

    clock.advance(days=7)
    learner.hit("q1")
    assert (learner.card("q1").box, learner.card("q1").due_at) == (4, clock.now + timedelta(14))

    clock.advance(days=14)
    learner.hit("q1")
    assert (learner.card("q1").box, learner.card("q1").due_at) == (5, clock.now + timedelta(30))

    clock.advance(days=29)
    assert learner.due_ids() == []
    clock.advance(days=1)
    assert learner.due_ids() == ["q1"]
    learner.hit("q1")

    card = learner.card("q1")
    assert (card.box, card.learned, card.misses) == (5, True, 1)


def test_a_learned_card_is_never_due_and_leaves_the_counts():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")
    for interval in INTERVALS:
        clock.advance(days=interval.days)
        learner.hit("q1")

    clock.advance(days=365)

    assert learner.card("q1").learned
    assert learner.due_ids() == []
    assert next_due(learner.cards(), clock.now) is None
    assert by_box(learner.cards()) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_a_wrong_answer_to_a_learned_card_brings_it_back_to_box_one():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")
    for interval in INTERVALS:
        clock.advance(days=interval.days)
        learner.hit("q1")

    clock.advance(days=100)
    learner.miss("q1")

    card = learner.card("q1")
    assert (card.box, card.learned, card.misses) == (1, False, 2)
    assert card.due_at == clock.now + timedelta(days=1)


def test_a_wrong_answer_in_box_four_sends_the_card_back_to_box_one():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")
    for days in (1, 3, 7):
        clock.advance(days=days)
        learner.hit("q1")
    assert learner.card("q1").box == 4

    clock.advance(days=5)
    learner.miss("q1")

    card = learner.card("q1")
    assert (card.box, card.misses, card.moved_at) == (1, 2, clock.now)
    assert card.due_at == clock.now + timedelta(days=1)


def test_a_right_answer_before_the_card_is_due_changes_nothing():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")
    clock.advance(days=1)
    learner.hit("q1")
    before = learner.card("q1")

    clock.advance(hours=2)
    learner.hit("q1")
    clock.advance(days=2)
    learner.hit("q1")

    assert learner.card("q1") == before


def test_a_right_answer_the_same_day_as_the_miss_does_not_move_the_card_up():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")

    clock.advance(hours=1)
    learner.hit("q1")

    assert learner.card("q1").box == 1
    assert learner.card("q1").due_at == START + timedelta(days=1)


def test_a_question_never_missed_has_no_card():
    clock = FakeClock()
    learner = Learner(clock)
    learner.hit("q1")
    clock.advance(days=3)
    learner.hit("q1")

    assert learner.cards() == {}


def test_a_question_gets_a_card_when_first_missed_after_right_answers():
    clock = FakeClock()
    learner = Learner(clock)
    learner.hit("q1")
    clock.advance(days=2)
    learner.miss("q1")

    card = learner.card("q1")
    assert (card.box, card.misses, card.moved_at) == (1, 1, clock.now)


def test_due_orders_by_box_then_due_time_then_question_id():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q-climber")
    learner.miss("q-b")
    learner.miss("q-a")
    clock.advance(days=1)
    learner.hit("q-climber")
    clock.advance(hours=1)
    learner.miss("q-later")

    clock.advance(days=10)

    assert learner.due_ids() == ["q-a", "q-b", "q-later", "q-climber"]


def test_due_accepts_a_plain_list_of_cards_as_well_as_the_mapping():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")
    clock.advance(days=1)

    cards = learner.cards()

    assert due(list(cards.values()), clock.now) == due(cards, clock.now)


def test_next_due_is_the_earliest_card_not_yet_due():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")
    clock.advance(hours=6)
    learner.miss("q2")
    clock.advance(days=1)
    learner.hit("q1")

    assert learner.due_ids() == ["q2"]
    assert next_due(learner.cards(), clock.now) == clock.now + timedelta(days=3)


def test_next_due_is_none_without_cards():
    assert next_due({}, START) is None


def test_by_box_counts_cards_in_every_box():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")
    learner.miss("q2")
    learner.miss("q3")
    clock.advance(days=1)
    learner.hit("q3")

    assert by_box(learner.cards()) == {1: 2, 2: 1, 3: 0, 4: 0, 5: 0}


def test_by_box_of_no_cards_lists_every_box_empty():
    assert by_box([]) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_reviews_are_replayed_in_time_order_whatever_the_input_order():
    clock = FakeClock()
    learner = Learner(clock)
    learner.miss("q1")
    clock.advance(days=1)
    learner.hit("q1")
    clock.advance(days=3)
    learner.hit("q1")

    assert schedule(reversed(learner.reviews)) == learner.cards()
    assert learner.card("q1").box == 3
