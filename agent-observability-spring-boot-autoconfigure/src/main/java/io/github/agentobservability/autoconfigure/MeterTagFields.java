package io.github.agentobservability.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Validates {@code agent.observability.attribution.meter-tags}: a meter tag multiplies
 * every series by its distinct values, so a field that holds one value per user or
 * session would make a series per user. Those fail startup naming the property; the
 * {@code max-tag-values} bound is the net for the rest.
 */
final class MeterTagFields {

	static final String PROPERTY = "agent.observability.attribution.meter-tags";

	/** Fields named like these, in any case and with {@code _} or {@code .}, are per user. */
	private static final Set<String> PER_USER = Set.of("user.id", "enduser.id", "session.id", "user.email",
			"user.name", "customer.id", "client.address");

	private MeterTagFields() {
	}

	static List<String> validated(List<String> fields) {
		for (int i = 0; i < fields.size(); i++) {
			String field = fields.get(i);
			if (field == null || field.isBlank()) {
				throw new InvalidConfigurationPropertyValueException(PROPERTY + "[" + i + "]", field,
						"A meter tag names a baggage field.");
			}
			String name = field.strip().toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
			if (PER_USER.stream().anyMatch((perUser) -> name.equals(perUser) || name.endsWith("." + perUser))) {
				throw new InvalidConfigurationPropertyValueException(PROPERTY + "[" + i + "]", field,
						"A field with one value per user or session would make a series per user: keep it a span "
								+ "attribute (agent.observability.attribution.baggage) and tag meters with a tenant.");
			}
		}
		return List.copyOf(fields);
	}

}
