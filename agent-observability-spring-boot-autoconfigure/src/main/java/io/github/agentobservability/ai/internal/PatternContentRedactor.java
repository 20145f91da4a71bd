package io.github.agentobservability.ai.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.github.agentobservability.ai.ContentRedactor;
import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link ContentRedactor}: redacts secrets and personal data from prompts
 * and completions before they are recorded.
 * <p>
 * Exists because recorded content leaves the application for a tracing backend, usually
 * less guarded than the application itself, while prompts, tool results and completions
 * carry what users paste and what tools return: API keys, tokens, e-mail addresses, card
 * numbers. Built-in patterns replace each match with a marker naming what was redacted:
 * <ul>
 * <li>{@code [REDACTED:api-key]}: OpenAI and Anthropic ({@code sk-…}), AWS access key
 * ids ({@code AKIA…}, {@code ASIA…}), Google ({@code AIza…}), GitHub ({@code ghp_…},
 * {@code github_pat_…}) and Slack ({@code xox…-}) keys and tokens;</li>
 * <li>{@code [REDACTED:bearer-token]}: the token after {@code Bearer}, which is kept;</li>
 * <li>{@code [REDACTED:email]}: e-mail addresses;</li>
 * <li>{@code [REDACTED:card-number]}: runs of 13 to 19 digits, possibly grouped by
 * single spaces or dashes, that pass the Luhn check, so that most order, phone and other
 * numbers are left alone.</li>
 * </ul>
 * User patterns are applied after the built-in ones, each match replaced with
 * {@code [REDACTED]}. Redaction is best effort: it catches well-formed secrets of known
 * shapes, not every secret. Patterns are compiled once, and each built-in pattern is
 * only run on texts containing its trigger, such as {@code @} for e-mail addresses.
 * Thread-safe.
 */
public final class PatternContentRedactor implements ContentRedactor {

	private static final String TOKEN_CHARS = "[A-Za-z0-9._~+/-]";

	private static final List<UnaryOperator<String>> BUILT_IN_REDACTIONS = List.of(
			// The word is kept; the token has a digit, as opaque tokens and JWTs do, or is long.
			new PatternRedaction((text) -> containsIgnoreCase(text, "bearer"),
					Pattern.compile("(?i)\\b(bearer[ \\t]+)(?:(?=" + TOKEN_CHARS + "*[0-9])" + TOKEN_CHARS + "{8,}|"
							+ TOKEN_CHARS + "{20,})=*"),
					"$1" + Matcher.quoteReplacement(marker("bearer-token"))),
			apiKey("sk-", "(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}"),
			apiKey("IA", "\\bA[KS]IA[0-9A-Z]{16}\\b"),
			apiKey("AIza", "(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"),
			apiKey("_", "\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\\b"),
			apiKey("xox", "\\bxox[baprs]-[A-Za-z0-9-]{10,}"),
			// Anchored after a non-address character, so that a long run without '@' is
			// scanned once, not once per character; domain labels are bounded, as each
			// repetition of a group takes a stack frame.
			new PatternRedaction((text) -> text.indexOf('@') >= 0,
					Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+){0,8}"
							+ "\\.[A-Za-z]{2,}(?![A-Za-z0-9-])"),
					Matcher.quoteReplacement(marker("email"))),
			CardNumbers::redact);

	private final List<UnaryOperator<String>> redactions;

	/**
	 * Creates a redactor applying the built-in patterns, then the given ones.
	 * @param patterns additional regular expressions whose matches are redacted
	 * @throws IllegalArgumentException if a pattern is not a valid regular expression or
	 * matches the empty string, naming the pattern and its index
	 */
	public PatternContentRedactor(List<String> patterns) {
		List<UnaryOperator<String>> redactions = new ArrayList<>(BUILT_IN_REDACTIONS);
		for (int i = 0; i < patterns.size(); i++) {
			redactions.add(userRedaction(i, patterns.get(i)));
		}
		this.redactions = List.copyOf(redactions);
	}

	/**
	 * Returns the given text with its secrets replaced by markers.
	 * @param text the text to redact
	 * @return the redacted text, the given instance if nothing was redacted
	 */
	@Override
	public String redact(String text) {
		String redacted = text;
		for (UnaryOperator<String> redaction : this.redactions) {
			redacted = redaction.apply(redacted);
		}
		return redacted;
	}

	private static UnaryOperator<String> userRedaction(int index, String regex) {
		Pattern pattern;
		try {
			pattern = compile(regex);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Redaction pattern at index " + index + " " + ex.getMessage(), ex);
		}
		return new PatternRedaction((text) -> true, pattern, Matcher.quoteReplacement("[REDACTED]"));
	}

	/**
	 * Compiles a user redaction pattern, refusing what cannot redact anything sensible.
	 * @param regex the regular expression
	 * @return the compiled pattern
	 * @throws IllegalArgumentException if it is not a valid regular expression or matches
	 * the empty string, which would put markers between every character
	 */
	public static Pattern compile(String regex) {
		Pattern pattern;
		try {
			pattern = Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(
					"is not a valid regular expression: '" + regex + "': " + ex.getDescription(), ex);
		}
		if (pattern.matcher("").matches()) {
			throw new IllegalArgumentException("matches the empty string: '" + regex + "'");
		}
		return pattern;
	}

	private static UnaryOperator<String> apiKey(String trigger, String regex) {
		return new PatternRedaction((text) -> text.contains(trigger), Pattern.compile(regex),
				Matcher.quoteReplacement(marker("api-key")));
	}

	private static String marker(String kind) {
		return "[REDACTED:" + kind + "]";
	}

	private static boolean containsIgnoreCase(String text, String word) {
		for (int i = 0; i <= text.length() - word.length(); i++) {
			if (text.regionMatches(true, i, word, 0, word.length())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A pattern replaced in texts containing its trigger.
	 */
	private record PatternRedaction(Predicate<String> trigger, Pattern pattern,
			String replacement) implements UnaryOperator<String> {

		@Override
		public String apply(String text) {
			return this.trigger.test(text) ? this.pattern.matcher(text).replaceAll(this.replacement) : text;
		}

	}

	/**
	 * Redaction of Luhn-valid card numbers among runs of digit groups. Scanned by hand
	 * rather than with a repeated regular expression group, whose recursion overflows the
	 * stack on long runs.
	 */
	private static final class CardNumbers {

		private static final int MIN_DIGITS = 13;

		private static final int MAX_DIGITS = 19;

		private static final String MARKER = marker("card-number");

		private CardNumbers() {
		}

		static String redact(String text) {
			if (!hasDigits(text, MIN_DIGITS)) {
				return text;
			}
			@Nullable StringBuilder redacted = null;
			int copied = 0;
			int index = 0;
			while (index < text.length()) {
				if (!isDigit(text.charAt(index))) {
					index++;
					continue;
				}
				List<int[]> groups = groupsFrom(text, index);
				index = groups.get(groups.size() - 1)[1];
				// Groups glued to a word, or decimals, are not numbers of their own
				int start = groups.get(0)[0];
				int first = (start > 0 && (isWordChar(text.charAt(start - 1)) || text.charAt(start - 1) == '.')) ? 1 : 0;
				int end = (index < text.length() && isWordChar(text.charAt(index))) ? groups.size() - 1 : groups.size();
				while (first < end) {
					int last = lastGroupOfCardNumber(text, groups.subList(0, end), first);
					if (last < 0) {
						first++;
						continue;
					}
					redacted = (redacted != null) ? redacted : new StringBuilder(text.length());
					redacted.append(text, copied, groups.get(first)[0]).append(MARKER);
					copied = groups.get(last)[1];
					first = last + 1;
				}
			}
			return (redacted != null) ? redacted.append(text, copied, text.length()).toString() : text;
		}

		private static boolean hasDigits(String text, int count) {
			int digits = 0;
			for (int i = 0; i < text.length() && digits < count; i++) {
				if (isDigit(text.charAt(i))) {
					digits++;
				}
			}
			return digits == count;
		}

		/**
		 * Returns the start and end of each group of digits of the run starting at the
		 * given index, groups being separated by a single space or dash.
		 */
		private static List<int[]> groupsFrom(String text, int index) {
			List<int[]> groups = new ArrayList<>();
			int start = index;
			while (true) {
				int end = start;
				while (end < text.length() && isDigit(text.charAt(end))) {
					end++;
				}
				groups.add(new int[] { start, end });
				if (end + 1 >= text.length() || !isSeparator(text.charAt(end)) || !isDigit(text.charAt(end + 1))) {
					return groups;
				}
				start = end + 1;
			}
		}

		/**
		 * Returns the index of the last group of the longest card number starting with the
		 * given group, or -1 if there is none. The groups of a card number are separated
		 * alike, so that a date or a count next to one is not taken for a part of it.
		 */
		private static int lastGroupOfCardNumber(String text, List<int[]> groups, int first) {
			StringBuilder digits = new StringBuilder(MAX_DIGITS);
			int last = -1;
			for (int i = first; i < groups.size(); i++) {
				int[] group = groups.get(i);
				if (i > first + 1 && text.charAt(group[0] - 1) != text.charAt(groups.get(first + 1)[0] - 1)) {
					break;
				}
				digits.append(text, group[0], group[1]);
				if (digits.length() > MAX_DIGITS) {
					break;
				}
				if (digits.length() >= MIN_DIGITS && passesLuhnCheck(digits)) {
					last = i;
				}
			}
			return last;
		}

		private static boolean passesLuhnCheck(CharSequence digits) {
			int sum = 0;
			for (int i = 0; i < digits.length(); i++) {
				int digit = digits.charAt(digits.length() - 1 - i) - '0';
				if (i % 2 == 1) {
					digit = (digit < 5) ? digit * 2 : digit * 2 - 9;
				}
				sum += digit;
			}
			return sum % 10 == 0;
		}

		private static boolean isDigit(char c) {
			return c >= '0' && c <= '9';
		}

		private static boolean isSeparator(char c) {
			return c == ' ' || c == '-';
		}

		private static boolean isWordChar(char c) {
			return Character.isLetter(c) || c == '_';
		}

	}

}
