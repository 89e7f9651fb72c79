import unittest

from slugs import slugify


class SlugifyTest(unittest.TestCase):
    def test_punctuation_and_case(self):
        self.assertEqual(slugify("Hello, World!"), "hello-world")

    def test_accents_are_folded(self):
        self.assertEqual(slugify("Crème brûlée à Paris"), "creme-brulee-a-paris")

    def test_runs_of_separators_collapse(self):
        self.assertEqual(slugify("  multi -- stage   builds  "), "multi-stage-builds")

    def test_long_titles_cut_at_a_word(self):
        slug = slugify("word " * 30, max_len=20)
        self.assertLessEqual(len(slug), 20)
        self.assertFalse(slug.endswith("-"))


if __name__ == "__main__":
    unittest.main()
