# ruff: noqa: E501  (articles are written one paragraph a line, as the inputs are)
"""English articles written for the story tests: one event told by several sites, a copy of
one of them, another event with the same people, an unrelated event, and an event like it
with other places and people."""

from __future__ import annotations

PACT_SITE_A = """Putin and Kim sign mutual defence pact in Pyongyang
Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a comprehensive strategic partnership treaty in Pyongyang on Wednesday, pledging mutual military assistance if either country is attacked.
The agreement was signed during Putin's first visit to North Korea in 24 years. Kim called the treaty the strongest the two countries had ever concluded and said it raised relations to the level of an alliance.
Putin said the pact provided for assistance in case of aggression against one of the parties. Washington and Seoul have accused Pyongyang of supplying artillery shells and ballistic missiles for Moscow's war in Ukraine.
The Russian leader was greeted at Pyongyang airport by Kim before a ceremony at Kim Il Sung Square attended by thousands of residents."""

PACT_SITE_B = """North Korea and Russia agree to defend each other under new treaty
Kim Jong Un hosted Vladimir Putin in Pyongyang, where the two leaders signed a treaty committing North Korea and Russia to come to each other's aid with military assistance in the event of an attack.
It was the Russian president's first trip to the North Korean capital since 2000. The partnership treaty, Kim said, turns the relationship between Pyongyang and Moscow into an alliance.
Under the pact, each side would provide assistance to the other in case of aggression, Putin told reporters. South Korea and the United States say Pyongyang has shipped artillery shells and missiles to Russia for use in Ukraine.
Crowds lined the streets of Pyongyang and a welcome ceremony was held at Kim Il Sung Square."""

PACT_SITE_C = """Moscow, Pyongyang seal military assistance treaty during Putin visit
Vladimir Putin's visit to Pyongyang ended with a strategic partnership treaty under which Russia and North Korea promise each other military assistance if attacked, state media in both countries reported.
Kim Jong Un described the treaty as an alliance, the highest level of ties between the two countries. The visit was Putin's first to North Korea in 24 years.
Seoul and Washington have repeatedly accused North Korea of sending artillery shells and ballistic missiles to Moscow for its war against Ukraine, which both governments deny.
Thousands of people gathered in Kim Il Sung Square in Pyongyang for the welcoming ceremony for the Russian president."""

COPY_FOOTER = """
Copyright 2024 Example Wire Service. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.
Follow us on social media for the latest updates and subscribe to our newsletter."""

COSMODROME = """Kim Jong Un tours Russian space centre with Putin
North Korean leader Kim Jong Un visited the Vostochny Cosmodrome in Russia's Far East, where President Vladimir Putin showed him rocket launch facilities and said Russia would help North Korea build satellites.
Kim arrived at the spaceport aboard his armoured train after a journey across the border. The two leaders inspected the assembly hall of the Soyuz-2 and Angara rockets before holding talks that lasted several hours.
Asked whether Russia would help Pyongyang build satellites, Putin said that was why they had come to the cosmodrome. North Korea has failed twice this year to put a military reconnaissance satellite into orbit.
Kim later travelled to Komsomolsk-on-Amur to visit an aircraft factory that builds Sukhoi fighter jets."""

COSMODROME_OTHER_SITE = """Putin shows Kim rockets at Vostochny spaceport, promises satellite help
Vladimir Putin welcomed Kim Jong Un at the Vostochny Cosmodrome in the Amur region, giving the North Korean leader a tour of the launch site and the Angara rocket assembly building.
Kim travelled to the Far East spaceport by armoured train. Putin told reporters that Russia would help North Korea with satellites, the reason the meeting took place at the cosmodrome.
Pyongyang's attempts this year to launch a military spy satellite into orbit both failed. After the talks Kim was due to visit Komsomolsk-on-Amur, where Sukhoi fighter jets are built."""

FLOOD = """Floods force thousands from their homes in Kelantan
More than 20,000 people have been moved to relief centres in the Malaysian state of Kelantan after days of heavy monsoon rain flooded villages along the Kelantan and Golok rivers.
The National Disaster Management Agency said water levels at several stations were above the danger mark and that more rain was expected over the weekend.
Schools in Pasir Mas and Tumpat were closed and some roads were cut off. The agency urged residents of low-lying areas to move to higher ground."""

FLOOD_ELSEWHERE = """Floods force thousands from their homes in Assam
More than 30,000 people have been moved to relief centres in the Indian state of Assam after days of heavy monsoon rain flooded villages along the Brahmaputra and its tributaries.
The state disaster agency said water levels at several stations were above the danger mark and that more rain was expected over the coming days.
Schools in Dhemaji and Lakhimpur were closed and several roads were cut off. Officials urged residents of low-lying areas to move to higher ground."""
