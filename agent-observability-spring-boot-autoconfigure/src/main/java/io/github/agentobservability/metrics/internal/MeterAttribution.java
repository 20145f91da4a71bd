package io.github.agentobservability.metrics.internal;

import java.util.List;
import java.util.function.Function;

import io.github.agentobservability.tracing.internal.AgentRuns;
import io.github.agentobservability.tracing.internal.TracedCall;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The meter tags that say whom the work was for: the baggage fields the application names
 * ({@code agent.observability.attribution.meter-tags}, a tenant for example), read when an
 * agent run starts and kept for its model and tool calls, so that a stream finishing on
 * another thread still counts for the tenant that asked. A field absent from the baggage
 * is {@value #ABSENT}, so that every meter always has the same tag keys; each field's
 * distinct values are bounded like every other tag (overflow becomes {@code other}), and
 * a value is cut to {@value #MAX_VALUE_LENGTH} characters.
 */
public final class MeterAttribution {

	/** The tag value of a field the baggage does not carry. */
	public static final String ABSENT = "none";

	/** Characters of a value kept in a tag: a longer one is cut, as a span attribute is. */
	public static final int MAX_VALUE_LENGTH = 128;

	private static final MeterAttribution NONE = new MeterAttribution(List.of(), 1, (field) -> null);

	private final String[] fields;

	private final TagValueLimiter[] limiters;

	private final Function<String, @Nullable String> baggage;

	private final Tags absent;

	/**
	 * Creates the attribution.
	 * @param fields the baggage fields to tag meters with
	 * @param maxTagValues distinct values allowed per field
	 * @param baggage reads the current value of a baggage field, {@code null} when absent
	 */
	public MeterAttribution(List<String> fields, int maxTagValues, Function<String, @Nullable String> baggage) {
		this.fields = fields.toArray(String[]::new);
		this.limiters = new TagValueLimiter[this.fields.length];
		Tags absent = Tags.empty();
		for (int i = 0; i < this.fields.length; i++) {
			this.limiters[i] = new TagValueLimiter(this.fields[i], maxTagValues);
			absent = absent.and(this.fields[i], ABSENT);
		}
		this.absent = absent;
		this.baggage = baggage;
	}

	/**
	 * No attribution: meters get no tags of it.
	 * @return the attribution
	 */
	public static MeterAttribution none() {
		return NONE;
	}

	/**
	 * The tags of work no baggage names: every field {@value #ABSENT}.
	 * @return the tags
	 */
	public Tags absent() {
		return this.absent;
	}

	/**
	 * The tags of the baggage current on this thread.
	 * @return the tags
	 */
	public Tags current() {
		if (this.fields.length == 0) {
			return Tags.empty();
		}
		Tag[] tags = new Tag[this.fields.length];
		for (int i = 0; i < this.fields.length; i++) {
			String value = this.baggage.apply(this.fields[i]);
			if (value != null && value.length() > MAX_VALUE_LENGTH) {
				value = value.substring(0, MAX_VALUE_LENGTH);
			}
			tags[i] = Tag.of(this.fields[i], (value != null && !value.isEmpty()) ? this.limiters[i].limit(value) : ABSENT);
		}
		return Tags.of(tags);
	}

	/**
	 * Keeps the current baggage's tags for an agent run, read where the run starts.
	 * @param run the run's observation context
	 */
	public void capture(TracedCall run) {
		if (this.fields.length > 0) {
			run.put(Captured.class, new Captured(current()));
		}
	}

	/**
	 * The tags of an observation: those its agent run captured, else the current
	 * baggage's.
	 * @param context the observation's context
	 * @return the tags
	 */
	public Tags of(Observation.ContextView context) {
		if (this.fields.length == 0) {
			return Tags.empty();
		}
		// An agent run is its own enclosing run: it finds what it captured
		TracedCall run = AgentRuns.enclosingRun(context);
		Captured captured = (run != null) ? run.get(Captured.class) : null;
		return (captured != null) ? captured.tags() : current();
	}

	private record Captured(Tags tags) {
	}

}
