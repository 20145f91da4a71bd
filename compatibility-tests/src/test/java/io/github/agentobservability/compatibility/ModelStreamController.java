package io.github.agentobservability.compatibility;

import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams a model's answer straight from {@link ChatModel#stream(Prompt)} to the client
 * as server-sent events, with no ChatClient and nothing of the application's own around
 * the call, for the applications of this suite that stream.
 */
@RestController
public class ModelStreamController {

	private final ChatModel model;

	public ModelStreamController(ChatModel model) {
		this.model = model;
	}

	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<String> stream(@RequestParam String question) {
		return this.model.stream(new Prompt(question)).mapNotNull((response) -> {
			Generation result = response.getResult();
			return (result != null) ? result.getOutput().getText() : null;
		});
	}

}
