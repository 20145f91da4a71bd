package io.github.agentobservability.ai.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.core.Ordered;

/**
 * Notes, for the model call in progress, when the first chunk of a ChatClient stream
 * arrives and whether the consumer cancelled the stream. Observation handlers only see a
 * call start and stop, so time to first chunk can only be measured where the chunks
 * flow. Added to every auto-configured {@code ChatClient.Builder}; direct
 * {@code ChatModel.stream()} calls are not seen.
 * <p>
 * On tool-calling turns the model holds its chunks back, so the time is that of the
 * turn that answers in text.
 */
public final class FirstChunkAdvisor implements StreamAdvisor {

	/** The advisor's name, which Spring AI's advisor observation carries. */
	public static final String NAME = "agentObservabilityFirstChunk";

	private final StreamingChats streamingChats;

	public FirstChunkAdvisor(StreamingChats streamingChats) {
		this.streamingChats = streamingChats;
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		return Flux.deferContextual((reactorContext) -> {
			Observation advisorObservation = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Flux<ChatClientResponse> responses = chain.nextStream(request);
			if (advisorObservation == null) {
				return responses;
			}
			Observation.ContextView ancestor = advisorObservation.getContextView();
			AtomicBoolean firstSeen = new AtomicBoolean();
			return responses.doOnNext((response) -> {
				if (!firstSeen.get()) {
					long now = System.nanoTime();
					StreamTiming timing = this.streamingChats.under(ancestor);
					if (timing != null) {
						timing.firstChunk(now);
						firstSeen.set(true);
					}
				}
			}).doOnCancel(() -> {
				StreamTiming timing = this.streamingChats.under(ancestor);
				if (timing != null) {
					timing.cancel();
				}
			});
		});
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
