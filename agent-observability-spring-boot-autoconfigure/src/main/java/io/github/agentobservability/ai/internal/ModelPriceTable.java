package io.github.agentobservability.ai.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.github.agentobservability.ai.ModelPrice;
import io.github.agentobservability.ai.ModelPricing;
import io.github.agentobservability.internal.WarnOncePerKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * The built-in pricing source: a table of prices by model name, to give each model call a
 * cost in USD.
 * <p>
 * Exists because providers report the tokens of a call, not what it costs. Prices come
 * from a built-in table of list prices ({@link #defaults()}), which goes stale as
 * providers change them, and from user overrides, which win. Providers name the same
 * model with dates, versions and prefixes, so a name is resolved to the first of:
 * <ol>
 * <li>a known name equal to it, ignoring case;</li>
 * <li>a known name equal to it without its provider prefix ({@code openai/},
 * {@code models/}) and without date or version suffixes, dropped one at a time
 * ({@link ModelNames#names(String)}): {@code -2024-07-18}, {@code -20241022},
 * {@code @20240620}, {@code -2411}, {@code -latest}, {@code -preview}, {@code -exp};</li>
 * <li>the longest known name that, followed by {@code -}, starts it: {@code gpt-4o-mini}
 * for {@code gpt-4o-mini-audio}, never {@code gpt-4o}.</li>
 * </ol>
 * A model without a price is logged once at WARN level and its calls get no cost.
 * Resolutions are cached, as this runs on every model call; the cache and the memory of
 * warned models are bounded, so that a stream of distinct model names cannot exhaust
 * memory. Thread-safe.
 */
public final class ModelPriceTable implements ModelPricing {

	private static final Log logger = LogFactory.getLog(ModelPriceTable.class);

	static final int MAX_CACHED_MODELS = 1_000;

	static final int MAX_WARNED_MODELS = 1_000;

	/** Where the built-in prices are, on the class path. */
	static final String DEFAULTS_RESOURCE = "io/github/agentobservability/ai/model-prices.csv";

	private static final Pattern PLAIN_PROPERTY_KEY = Pattern.compile("[A-Za-z0-9-]+");

	/**
	 * The built-in prices, read on first use rather than in a static initializer: a
	 * missing resource (a native image built without the starter's runtime hints) then
	 * fails the caller with an {@link IllegalStateException} naming it, instead of
	 * making the class unusable with an {@link ExceptionInInitializerError}.
	 */
	private static final SingletonSupplier<Map<String, ModelPrice>> DEFAULTS = SingletonSupplier
		.of(() -> readDefaults(ModelPriceTable.class.getClassLoader()));

	/** Prices by lower-case model name. */
	private final Map<String, ModelPrice> prices;

	/** Known model names, longest first, for prefix matching. */
	private final List<String> namesLongestFirst;

	private final Map<String, Optional<ModelPrice>> resolved = new ConcurrentHashMap<>();

	private final WarnOncePerKey unpriced = new WarnOncePerKey(logger, MAX_WARNED_MODELS);

	/**
	 * Creates a pricing knowing only the given prices.
	 * @param prices the prices by model name, case-insensitive
	 * @throws IllegalArgumentException if a name is blank or two names differ only by case
	 * @see #withDefaults(Map)
	 */
	public ModelPriceTable(Map<String, ModelPrice> prices) {
		this.prices = Map.copyOf(byLowerCaseName(prices));
		this.namesLongestFirst = this.prices.keySet()
			.stream()
			.sorted(Comparator.comparingInt(String::length).reversed())
			.toList();
	}

	/**
	 * Creates a pricing knowing the {@linkplain #defaults() built-in prices} and the given
	 * overrides, which win.
	 * @param overrides the prices by model name, case-insensitive, to use instead of or in
	 * addition to the built-in ones
	 * @return the pricing
	 * @throws IllegalArgumentException if a name is blank or two names differ only by case
	 * @throws IllegalStateException if the built-in prices cannot be read
	 */
	public static ModelPriceTable withDefaults(Map<String, ModelPrice> overrides) {
		Map<String, ModelPrice> prices = new HashMap<>(defaults());
		prices.putAll(byLowerCaseName(overrides));
		return new ModelPriceTable(prices);
	}

	/**
	 * Returns the built-in list prices, by lower-case model name. They are read from
	 * {@code model-prices.csv} next to this class, which says when they were published.
	 * @return the built-in prices
	 * @throws IllegalStateException if the built-in prices cannot be read
	 */
	public static Map<String, ModelPrice> defaults() {
		return DEFAULTS.obtain();
	}

	/**
	 * Returns the price of the given model, logging a warning the first time a model has
	 * none.
	 * @param model the model name, as requested or as reported by the provider
	 * @return the price, or empty if the model is unknown, blank or {@code null}
	 */
	@Override
	public Optional<ModelPrice> priceOf(@Nullable String model) {
		if (model == null || model.isBlank()) {
			return Optional.empty();
		}
		Optional<ModelPrice> price = this.resolved.get(model);
		if (price == null) {
			price = resolve(model);
			if (this.resolved.size() < MAX_CACHED_MODELS) {
				this.resolved.putIfAbsent(model, price);
			}
			if (price.isEmpty()) {
				this.unpriced.warn(model, () -> noPriceWarning(model));
			}
		}
		return price;
	}


	public int cachedResolutions() {
		return this.resolved.size();
	}

	private Optional<ModelPrice> resolve(String model) {
		List<String> names = ModelNames.names(model);
		for (String name : names) {
			ModelPrice price = this.prices.get(name);
			if (price != null) {
				return Optional.of(price);
			}
		}
		return Optional.ofNullable(longestPrefixOf(names.get(names.size() - 1)));
	}

	private @Nullable ModelPrice longestPrefixOf(String name) {
		for (String known : this.namesLongestFirst) {
			if (name.length() > known.length() && name.startsWith(known) && name.charAt(known.length()) == '-') {
				return this.prices.get(known);
			}
		}
		return null;
	}

	private static String noPriceWarning(String model) {
		String key = "agent.observability.pricing.models"
				+ (PLAIN_PROPERTY_KEY.matcher(model).matches() ? "." + model : "[" + model + "]");
		return "No price for model '" + model + "': add " + key + ".input-per-million and "
				+ ".output-per-million; its calls get no cost";
	}

	private static Map<String, ModelPrice> byLowerCaseName(Map<String, ModelPrice> prices) {
		Map<String, ModelPrice> byLowerCaseName = new HashMap<>();
		prices.forEach((model, price) -> {
			Assert.hasText(model, "Model names must not be blank");
			Assert.notNull(price, () -> "Price of model '" + model + "' must not be null");
			String name = ModelNames.lowerCase(model);
			Assert.isTrue(byLowerCaseName.putIfAbsent(name, price) == null,
					() -> "Model '" + name + "' has more than one price: its names differ only by case");
		});
		return byLowerCaseName;
	}

	public static Map<String, ModelPrice> readDefaults(ClassLoader classLoader) {
		try (InputStream input = classLoader.getResourceAsStream(DEFAULTS_RESOURCE)) {
			if (input == null) {
				throw new IllegalStateException("Built-in model prices " + DEFAULTS_RESOURCE
						+ " not found on the class path (a native image needs a resource hint for it)");
			}
			return readPrices(new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read built-in prices " + DEFAULTS_RESOURCE, ex);
		}
	}

	private static Map<String, ModelPrice> readPrices(BufferedReader reader) throws IOException {
		Map<String, ModelPrice> prices = new LinkedHashMap<>();
		int lineNumber = 0;
		String line;
		while ((line = reader.readLine()) != null) {
			lineNumber++;
			line = line.strip();
			if (line.isEmpty() || line.startsWith("#") || line.startsWith("model,")) {
				continue;
			}
			try {
				String[] columns = line.split(",", -1);
				Assert.isTrue(columns.length == 4, "4 columns expected");
				String cached = columns[3].strip();
				ModelPrice price = new ModelPrice(new BigDecimal(columns[1].strip()),
						new BigDecimal(columns[2].strip()), cached.isEmpty() ? null : new BigDecimal(cached));
				Assert.isTrue(prices.put(ModelNames.lowerCase(columns[0]), price) == null,
						"duplicate model");
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"Invalid line " + lineNumber + " of " + DEFAULTS_RESOURCE + " '" + line + "': " + ex.getMessage(),
						ex);
			}
		}
		return Collections.unmodifiableMap(prices);
	}

}
