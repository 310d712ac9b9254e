"""Step 2's model: the comparisons (and the level numbers the guards read) and blocking rules."""

from __future__ import annotations

from typing import Any

# Splink numbers comparison levels from the last (0, "anything else") upwards; -1 is "null".
NHS_EXACT = 2
NHS_SLIP = 1  # one record's number fails the check digit and is one slip from the other's
GIVEN_ELSE = 0
DOB_ELSE = 0

BLOCKING_RULES = [
    "l.nhs_number = r.nhs_number",
    "l.dob_str = r.dob_str and l.family_sdx = r.family_sdx",
    "l.dob_str = r.dob_str and l.given_key = r.given_key",
    "l.dob_swap = r.dob_str and l.family_sdx = r.family_sdx",
    "l.dob_swap = r.dob_str and l.given_key = r.given_key",
    "l.postcode = r.postcode and l.given_key = r.given_key",
    "l.postcode = r.postcode and l.address_std = r.address_std",
    "l.dob_ym = r.dob_ym and l.family_sdx = r.family_sdx and l.given_sdx = r.given_sdx",
]


def splink_settings(
    population: int, em_max_iterations: int = 25, trained: dict[str, Any] | None = None
) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def null(column: str):
        return cll.NullLevel(column)

    comparisons = [
        cl.CustomComparison(
            output_column_name="nhs_number",
            comparison_levels=[
                # Random sampling would estimate u for this level from pairs that are in fact
                # the same child (two lists of one population); two different children share a
                # valid number only when a mistyped number passes the check digit and belongs to
                # someone else on the other list, so u is fixed at that order of rarity.
                cll.ExactMatchLevel("nhs_number").configure(
                    u_probability=1e-3 / max(population, 1), fix_u_probability=True
                ),
                # A number that fails the check digit is not used as an identifier, but one digit
                # changed or two neighbouring digits swapped from the other record's valid number
                # is strong evidence (about 100 valid numbers are one slip away from any number).
                cll.CustomLevel(
                    "damerau_levenshtein(nhs_number_l, nhs_invalid_r) <= 1 "
                    "or damerau_levenshtein(nhs_invalid_l, nhs_number_r) <= 1",
                    label_for_charts="One record's number is a slip from the other's",
                ).configure(u_probability=10 / max(population, 10_000), fix_u_probability=True),
                cll.CustomLevel("nhs_number_l is null or nhs_number_r is null").configure(
                    is_null_level=True
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="given_name",
            comparison_levels=[
                null("given_std"),
                cll.ExactMatchLevel("given_std").configure(tf_adjustment_column="given_std"),
                cll.ArrayIntersectLevel("given_keys", 1).configure(
                    label_for_charts="Variant of the same name"
                ),
                cll.ArrayIntersectLevel("given_fuzzy_keys", 1).configure(
                    label_for_charts="Variant of the same name, allowing for a typing slip"
                ),
                cll.JaroWinklerLevel("given_std", 0.9),
                cll.DamerauLevenshteinLevel("given_std", 1),
                cll.ExactMatchLevel("given_sdx").configure(label_for_charts="Sounds alike"),
                cll.JaroWinklerLevel("given_std", 0.8),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="family_name",
            comparison_levels=[
                null("family_std"),
                cll.ExactMatchLevel("family_std").configure(tf_adjustment_column="family_std"),
                cll.ArrayIntersectLevel("family_tokens", 1).configure(
                    label_for_charts="Shares part of a double-barrelled name"
                ),
                cll.JaroWinklerLevel("family_std", 0.9),
                cll.DamerauLevenshteinLevel("family_std", 1),
                cll.ExactMatchLevel("family_sdx").configure(label_for_charts="Sounds alike"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="date_of_birth",
            comparison_levels=[
                null("dob_str"),
                cll.ExactMatchLevel("dob_str"),
                cll.CustomLevel(
                    "dob_swap_l = dob_str_r", label_for_charts="Day and month transposed"
                ),
                cll.AbsoluteDateDifferenceLevel(
                    "dob", input_is_string=False, threshold=3, metric="day"
                ).configure(label_for_charts="Within three days"),
                cll.DamerauLevenshteinLevel("dob_str", 1),
                cll.ExactMatchLevel("dob_ym").configure(label_for_charts="Same month"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="sex",
            comparison_levels=[null("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()],
        ),
        # Postcode and address in one comparison: they move together, and scoring them
        # separately would count one house move twice.
        cl.CustomComparison(
            output_column_name="home",
            comparison_levels=[
                cll.CustomLevel(
                    "(postcode_l is null or postcode_r is null) "
                    "and (address_std_l is null or address_std_r is null)"
                ).configure(is_null_level=True),
                cll.CustomLevel(
                    "postcode_l = postcode_r and address_std_l = address_std_r",
                    label_for_charts="Same address and postcode",
                ),
                cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
                cll.ExactMatchLevel("address_std").configure(
                    label_for_charts="Same address, postcode differs"
                ),
                cll.ExactMatchLevel("pc_sector").configure(label_for_charts="Same sector"),
                cll.ExactMatchLevel("pc_out").configure(label_for_charts="Same outward code"),
                # Postcode areas are geographic (LS is Leeds): a family that moves mostly stays
                # in its area, two look-alike children rarely share one.
                cll.ExactMatchLevel("pc_area").configure(label_for_charts="Same postcode area"),
                cll.ElseLevel(),
            ],
        ),
    ]
    from splink import SettingsCreator

    prior = {}
    if trained:
        # The saved comparisons are in the order these are built in.
        for comparison, saved in zip(comparisons, trained["comparisons"], strict=True):
            levels = [
                level for level in saved["comparison_levels"] if not level.get("is_null_level")
            ]
            comparison.configure(
                m_probabilities=[level.get("m_probability") for level in levels],
                u_probabilities=[level.get("u_probability") for level in levels],
            )
        prior["probability_two_random_records_match"] = trained[
            "probability_two_random_records_match"
        ]
    return SettingsCreator(
        **prior,
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_matching_columns=True,  # needed for the gamma (level) columns the guards read
        retain_intermediate_calculation_columns=False,
        max_iterations=em_max_iterations,
    )
