"""Invented first and family names for synthetic people."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(
        _words("""
Olivia Amelia Isla Ava Emily Sophie Grace Lily Chloe Ella Jessica Hannah Lucy Charlotte Ruby Evie
Holly Megan Rebecca Sarah Laura Emma Rachel Claire Helen Joanne Nicola Karen Julie Alison Deborah
Susan Catherine Victoria Gemma Kirsty Natalie Zoe Leanne Donna Kelly Stacey Amy Hayley Lauren Jade
Priya Aisha Fatima Amira Zainab Nadia Ayesha Sana Anjali Deepa Mei Lin Agnieszka Katarzyna Ewa
Ioana Maria Ana Chiamaka Ngozi Abena Funmilayo Siobhan Niamh Bethan Rhiannon Mairi Eilidh Kerry
Louise Joanna Samantha Fiona Anne Margaret Jennifer Elizabeth Tracey Lisa Michelle Sharon Angela
Oliver Jack Harry George Noah Charlie Jacob Thomas Oscar William James Daniel Matthew David Andrew
Mark Paul Richard Simon Stephen Michael Christopher Robert Peter Jonathan Ian Gary Darren Lee
Craig Wayne Neil Stuart Martin Adam Ben Sam Luke Ryan Callum Liam Connor Mohammed Ahmed Imran
Bilal Omar Yusuf Hamza Arjun Rahul Sanjay Vikram Wei Jun Tomasz Piotr Marek Andrei Kwame Chinedu
Tunde Emeka Kofi Rhys Owen Gareth Dylan Euan Declan Sean Patrick Aidan Alan Graham Nigel Philip
Keith Kevin Anthony Joseph Edward Nathan Jamie Scott Dominic Toby Alfie Joshua Reece Kieran
""")
    )
)

LAST_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(
        _words("""
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin
Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips
Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey
Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh
Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews
Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray
Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott
Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer
Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees
Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods
Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy
Williamson Bird Gardner Shah Dodd Quinn Mahmood Chowdhury Nowak Kowalski Popescu Okafor Adeyemi
Mensah Osei Nguyen Chen Wong Zhang Sharma Mistry Desai Malik Iqbal Rahman Uddin O'Connor McDonald
MacLeod Fraser Hamilton Pritchard Llewellyn Vaughan Doherty Gallagher Byrne Brennan Clarke-Hughes
Lloyd-Evans Akhtar Begg Chaudhry Hale Dempsey Fenwick Goddard Hurst Ingram Jarvis Kemp Lamb Nash
Oakley
""")
    )
)
