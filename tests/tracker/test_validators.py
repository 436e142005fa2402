"""The unified social credit code check (GB 32100-2015)."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_uscc
from tracker.validators import normalize_uscc, uscc_check_character, validate_uscc


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "9144030071526726XG"])
def test_published_example_codes_pass(code):
    validate_uscc(code)


def test_lower_case_input_is_normalised_before_checking():
    validate_uscc("91350100m000100y43")
    assert normalize_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_a_wrong_check_character_is_rejected_with_the_specific_message():
    with pytest.raises(ValidationError) as error:
        validate_uscc("91350100M000100Y44")
    assert error.value.code == "uscc_check"


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_a_code_of_the_wrong_length_is_rejected(code):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.code == "uscc_length"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_forbidden_letters_are_rejected_even_with_a_matching_check_character(letter):
    code = "9135010" + letter + "M000100Y4"
    with pytest.raises(ValidationError) as error:
        validate_uscc(code + "3")
    assert error.value.code == "uscc_characters"
    assert letter in error.value.messages[0]


def test_the_check_character_matches_the_published_examples():
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert uscc_check_character("9144030071526726X") == "G"


def test_factory_codes_are_valid():
    for n in (0, 1, 12345, 999_999_999):
        validate_uscc(make_uscc(n))


def test_the_check_character_error_is_in_the_users_language():
    from django.utils import translation

    for language, expected in [
        ("zh-hans", "统一社会信用代码校验位错误"),
        ("en", "Invalid unified social credit code check character"),
    ]:
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                validate_uscc("91350100M000100Y44")
            assert error.value.messages == [expected]
