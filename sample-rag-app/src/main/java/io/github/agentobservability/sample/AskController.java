package io.github.agentobservability.sample;

import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ask}: one question, one agent run. Invalid requests get RFC 9457
 * problem details.
 */
@RestController
public class AskController {

	private final RagAgent agent;

	private final Tracer tracer;

	public AskController(RagAgent agent, Tracer tracer) {
		this.agent = agent;
		this.tracer = tracer;
	}

	@PostMapping("/api/ask")
	public AskResponse ask(@Valid @RequestBody AskRequest request) {
		RagAgent.Answer answer = this.agent.ask(request.question());
		Span span = this.tracer.currentSpan();
		return new AskResponse(answer.answer(), answer.sources(), (span != null) ? span.context().traceId() : null);
	}

	/**
	 * A question.
	 *
	 * @param question the question, at most 4,000 characters
	 */
	public record AskRequest(@NotBlank @Size(max = 4000) String question) {
	}

	/**
	 * The answer, its sources and the trace that recorded it.
	 *
	 * @param answer the answer
	 * @param sources ids of the cited passages
	 * @param traceId id of the request's trace
	 */
	public record AskResponse(String answer, List<String> sources, @Nullable String traceId) {
	}

}
