package io.github.agentobservability.metrics.internal;

import io.github.agentobservability.metrics.GenAiMeters;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Drops Spring AI's counter {@code gen_ai.client.token.usage}, which has the name of the
 * convention's token histogram ({@link GenAiMeters#CLIENT_TOKEN_USAGE}). Prometheus
 * allows one type per name, and Micrometer's Prometheus registry keeps whichever meter
 * registers first and silently drops the other, so without this filter the histogram or
 * the counter would go missing depending on which call came first.
 * <p>
 * Only the counter is denied, by name and type: Spring AI's timers
 * ({@code gen_ai.client.operation}) have names of their own and stay. The histogram
 * carries the same token counts: its {@code _sum} is what the counter counted.
 */
public final class SpringAiTokenUsageCounterFilter implements MeterFilter {

	@Override
	public MeterFilterReply accept(Meter.Id id) {
		return (id.getType() == Meter.Type.COUNTER && GenAiMeters.CLIENT_TOKEN_USAGE.getName().equals(id.getName()))
				? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
	}

}
