package io.github.agentobservability.sample;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
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
 * same, the answer streamed as server-sent events, one per piece of text, and a last
 * event named {@value #ANSWER_EVENT} whose data is the JSON answer of {@code /api/ask}
 * (sources, usage, cost, trace id). A request that names a conversation continues it: the
 * agent's chat memory gives the model the conversation's earlier exchanges. Invalid requests
 * and failed runs get RFC 9457 problem details ({@link ApiExceptionHandler}).
 */
@RestController
public class AskController {

	/** Name of the stream's last event, the whole answer. */
	static final String ANSWER_EVENT = "answer";

	/** What a conversation id may be: 1 to 64 letters, digits, '.', '_', ':' or '-'. */
	static final String CONVERSATION_ID = "[A-Za-z0-9._:-]{1,64}";

	private final RagAgent agent;

	public AskController(RagAgent agent) {
		this.agent = agent;
	}

	@PostMapping(path = "/api/ask", consumes = MediaType.APPLICATION_JSON_VALUE)
	public AskResponse ask(@Valid @RequestBody AskRequest request) {
		return response(this.agent.ask(request.question(), request.conversationId()));
	}

	@PostMapping(path = "/api/ask/stream", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public Flux<ServerSentEvent<?>> stream(@Valid @RequestBody AskRequest request) {
		return this.agent.stream(request.question(), request.conversationId()).map(AskController::event);
	}

	private static ServerSentEvent<?> event(RagAgent.StreamItem item) {
		if (item instanceof RagAgent.Piece piece) {
			return ServerSentEvent.builder(piece.text()).build();
		}
		return ServerSentEvent.builder(response((RagAgent.Answer) item)).event(ANSWER_EVENT).build();
	}

	private static AskResponse response(RagAgent.Answer answer) {
		return new AskResponse(answer.answer(), answer.sources(), answer.conversationId(), answer.traceId(),
				answer.usage(), answer.costUsd());
	}

	/**
	 * A question, in a conversation or on its own.
	 *
	 * @param question the question, at most 4,000 characters
	 * @param conversationId the conversation the question continues, {@code null} for a
	 * question on its own, which the agent answers without memory
	 */
	public record AskRequest(@NotBlank @Size(max = 4000) String question,
			@Nullable @Pattern(regexp = CONVERSATION_ID,
					message = "must be 1 to 64 letters, digits, '.', '_', ':' or '-'") String conversationId) {
	}

	/**
	 * The answer, its sources, what it cost and the trace that recorded it.
	 *
	 * @param answer the answer
	 * @param sources ids of the retrieved passages
	 * @param conversationId the conversation the answer belongs to, {@code null} for a
	 * question on its own
	 * @param traceId id of the run's trace
	 * @param usage tokens of all model calls of the run
	 * @param costUsd cost of those tokens in USD, {@code null} when the model has no price
	 */
	public record AskResponse(String answer, List<String> sources, @Nullable String conversationId,
			@Nullable String traceId, RagAgent.TokenUsage usage, @Nullable BigDecimal costUsd) {
	}

}
