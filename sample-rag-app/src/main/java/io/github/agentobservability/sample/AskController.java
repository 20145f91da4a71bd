package io.github.agentobservability.sample;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ask}: one question, one agent run; {@code POST /api/ask/stream}: the
 * same, the answer streamed as server-sent events. Invalid requests and failed runs get
 * RFC 9457 problem details ({@link ApiExceptionHandler}).
 */
@RestController
public class AskController {

	private final RagAgent agent;

	public AskController(RagAgent agent) {
		this.agent = agent;
	}

	@PostMapping(path = "/api/ask", consumes = MediaType.APPLICATION_JSON_VALUE)
	public AskResponse ask(@Valid @RequestBody AskRequest request) {
		RagAgent.Answer answer = this.agent.ask(request.question());
		return new AskResponse(answer.answer(), answer.sources(), answer.traceId(), answer.usage(), answer.costUsd());
	}

	@PostMapping(path = "/api/ask/stream", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public Flux<ServerSentEvent<String>> stream(@Valid @RequestBody AskRequest request) {
		return this.agent.stream(request.question()).map((piece) -> ServerSentEvent.builder(piece).build());
	}

	/**
	 * A question.
	 *
	 * @param question the question, at most 4,000 characters
	 */
	public record AskRequest(@NotBlank @Size(max = 4000) String question) {
	}

	/**
	 * The answer, its sources, what it cost and the trace that recorded it.
	 *
	 * @param answer the answer
	 * @param sources ids of the retrieved passages
	 * @param traceId id of the run's trace
	 * @param usage tokens of all model calls of the run
	 * @param costUsd cost of those tokens in USD, {@code null} when the model has no price
	 */
	public record AskResponse(String answer, List<String> sources, @Nullable String traceId, RagAgent.TokenUsage usage,
			@Nullable BigDecimal costUsd) {
	}

}
