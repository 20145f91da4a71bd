package io.github.agentobservability.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The documents bundled with the sample, one per line of {@code corpus.tsv}:
 * {@code id<TAB>title<TAB>text}.
 */
@Component
public class Corpus {

	private final List<Passage> passages;

	public Corpus() {
		this.passages = load("corpus.tsv");
	}

	public List<Passage> passages() {
		return this.passages;
	}

	private static List<Passage> load(String resource) {
		List<Passage> passages = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(new ClassPathResource(resource).getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				String[] fields = line.split("\t", 3);
				if (fields.length == 3 && !line.startsWith("#")) {
					passages.add(new Passage(fields[0], fields[1], fields[2]));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + resource, ex);
		}
		return List.copyOf(passages);
	}

}
