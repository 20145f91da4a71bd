package io.github.agentobservability.ai.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the starter tells that two model names mean the same model. Providers name one
 * model with dates, versions and prefixes ({@code openai/gpt-4o-mini},
 * {@code gpt-4o-mini-2024-07-18}); the pricing table resolves each to a price through
 * {@link #names(String)}, and the agent meters tag each with {@link #normalise(String)},
 * so that a provider's new snapshot neither loses its price nor starts new series.
 */
final class ModelNames {

	private static final Pattern VERSION_SUFFIX = Pattern
		.compile("(?:-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|@\\d{8}|-\\d{4}|-latest|-preview|-exp)$");

	private ModelNames() {
	}

	/**
	 * Returns a model name as it is compared: without surrounding blanks, in lower case.
	 * @param model the model name
	 * @return the name to compare
	 */
	static String lowerCase(String model) {
		return model.strip().toLowerCase(Locale.ROOT);
	}

	/**
	 * Returns the names of a model from the most specific to the most general: the name
	 * {@linkplain #lowerCase(String) in lower case}, then without its provider prefix
	 * ({@code openai/}, {@code models/}), then without each date or version suffix in
	 * turn: {@code -2024-07-18}, {@code -20241022}, {@code @20240620}, {@code -2411},
	 * {@code -latest}, {@code -preview}, {@code -exp}.
	 * @param model the model name
	 * @return the names, each different from the one before, never empty
	 */
	static List<String> names(String model) {
		List<String> names = new ArrayList<>(2);
		String name = lowerCase(model);
		names.add(name);
		String unprefixed = name.substring(name.lastIndexOf('/') + 1);
		if (!unprefixed.equals(name)) {
			name = unprefixed;
			names.add(name);
		}
		Matcher suffix = VERSION_SUFFIX.matcher(name);
		while (suffix.find() && suffix.start() > 0) {
			name = name.substring(0, suffix.start());
			names.add(name);
			suffix.reset(name);
		}
		return names;
	}

	/**
	 * Returns the most general name of a model, the last of {@link #names(String)}:
	 * {@code gpt-4o-mini} for {@code OpenAI/gpt-4o-mini-2024-07-18}.
	 * @param model the model name
	 * @return the name without provider prefix and version suffixes, in lower case
	 */
	static String normalise(String model) {
		List<String> names = names(model);
		return names.get(names.size() - 1);
	}

}
