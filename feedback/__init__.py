"""Citizens' feedback and petitions (phản ánh, kiến nghị) about a procedure, a desk or a dossier."""
