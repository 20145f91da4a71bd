package io.github.agentobservability.ai.internal;

import org.springframework.util.Assert;

/**
 * Truncates recorded content to a maximum length, saying how much was cut.
 * <p>
 * Exists because prompts and completions can be arbitrarily long, while span attributes
 * and log events are stored and shipped at a cost, and backends reject or silently cut
 * oversized ones. A truncated text keeps its first {@code maxLength} characters, followed
 * by {@code …[truncated N chars]} so that readers know it is incomplete. Lengths are
 * counted in UTF-16 {@code char}s, as by {@link String#length()}, and a surrogate pair is
 * never split: when it straddles the limit, it is cut whole and counted as truncated.
 */
public final class ContentTruncator {

	private final int maxLength;

	/**
	 * Creates a truncator.
	 * @param maxLength the number of characters of a text to keep
	 * @throws IllegalArgumentException if {@code maxLength} is not positive
	 */
	public ContentTruncator(int maxLength) {
		Assert.isTrue(maxLength > 0, () -> "maxLength must be positive but was " + maxLength);
		this.maxLength = maxLength;
	}

	/**
	 * Returns the given text, truncated if longer than the maximum length.
	 * @param text the text to truncate
	 * @return the truncated text, or the given instance if not longer than the maximum
	 */
	public String truncate(String text) {
		if (text.length() <= this.maxLength) {
			return text;
		}
		int end = this.maxLength;
		if (Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
			end--;
		}
		return text.substring(0, end) + "…[truncated " + (text.length() - end) + " chars]";
	}

}
